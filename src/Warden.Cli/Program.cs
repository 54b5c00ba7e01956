return Warden.Cli.WardenApp.Run(args);
