"""CAP 1.2 with the IPAWS profile: build, parse safely, validate in layers, sign and verify."""
