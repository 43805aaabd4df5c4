return TrainKit.Cli.TrainKitCli.Run(args);
