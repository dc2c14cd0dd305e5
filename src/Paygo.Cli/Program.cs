using Paygo.Cli;

return await PaygoCli.RunAsync(args, CliEnvironment.FromProcess(), CancellationToken.None);
