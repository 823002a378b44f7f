// MIDI module.
