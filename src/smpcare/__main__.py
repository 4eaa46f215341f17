from smpcare._entry import main

main()
