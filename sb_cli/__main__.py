from sb_cli.cli.app import main

main()
