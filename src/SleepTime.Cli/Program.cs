return await SleepTime.Cli.CliApp.RunAsync(args).ConfigureAwait(false);
