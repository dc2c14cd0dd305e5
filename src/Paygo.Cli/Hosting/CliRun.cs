namespace Paygo.Cli.Hosting;

/// <summary>Runs a command body and turns an expected failure into a message on standard error and exit code 1.</summary>
internal static class CliRun
{
    public const int Failed = 1;

    public static async Task<int> GuardAsync(CliEnvironment environment, Func<Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return await body();
        }
        catch (CliFailure failure)
        {
            await environment.Error.WriteLineAsync(failure.Message);
            foreach (var field in failure.Fields)
            {
                await environment.Error.WriteLineAsync($"  {field.Field}: {field.Message}");
            }

            return Failed;
        }
    }
}
