using Spectre.Console;

namespace Paygo.Cli;

/// <summary>
/// What a command may touch outside itself: its output streams, environment variables and HTTP.
/// Tests build one around string writers and the test server's handler.
/// </summary>
internal sealed class CliEnvironment(TextWriter output, TextWriter error, Func<string, string?> variable, Func<HttpMessageHandler> handler)
{
    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>Tables and messages for people; plain text when the output is not a terminal.</summary>
    public IAnsiConsole Console { get; } = CreateConsole(output);

    /// <summary>
    /// Where long transfers draw a progress bar: standard error, so that a file written to
    /// standard output stays clean; null when standard error is not a terminal (a pipe, a log,
    /// a test), where a redrawn bar would only be noise.
    /// </summary>
    public IAnsiConsole? ProgressConsole { get; } = CreateProgressConsole(error);

    public string? Variable(string name) => variable(name);

    public HttpClient CreateHttpClient(Uri server) => new(handler(), disposeHandler: true) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(100) };

    public static CliEnvironment FromProcess() =>
        new(System.Console.Out, System.Console.Error, Environment.GetEnvironmentVariable, () => new SocketsHttpHandler());

    private static IAnsiConsole? CreateProgressConsole(TextWriter error) =>
        error == System.Console.Error && !System.Console.IsErrorRedirected
            ? AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(error),
                Ansi = AnsiSupport.Detect,
                ColorSystem = ColorSystemSupport.Detect,
                Interactive = InteractionSupport.Yes,
            })
            : null;

    private static IAnsiConsole CreateConsole(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = output == System.Console.Out && !System.Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = output == System.Console.Out && !System.Console.IsOutputRedirected ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (output != System.Console.Out || System.Console.IsOutputRedirected)
        {
            // A pipe or a file has no width; keep ids on one line.
            console.Profile.Width = 200;
        }

        return console;
    }
}
