LiveblogCommand.main()
