// Melody module.
