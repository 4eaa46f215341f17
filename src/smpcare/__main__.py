from smpcare.cli import main

main()
