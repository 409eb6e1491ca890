"""Speed and memory benchmarks: scripts that print figures against a baseline run alongside."""
