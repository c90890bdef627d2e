from bluealert.cli.main import run

run()
