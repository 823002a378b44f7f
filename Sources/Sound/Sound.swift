// Sound module.
