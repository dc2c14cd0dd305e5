using System.Globalization;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Paygo.Testing;

/// <summary>
/// The test server's log: into the running test's output instead of the console, so a passing
/// `dotnet test` prints no server log lines, while a failing test shows the server's log
/// beside its failure (xUnit attaches test output to the result; the console shows it for
/// failed tests only).
/// </summary>
public sealed class TestLogs : ILoggerProvider
{
    // Captured when the server is made: log lines come from request threads that carry no test context.
    private readonly ITestOutputHelper? _output = TestContext.Current.TestOutputHelper;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
        // Nothing to release: the output belongs to xUnit.
    }

    private void Write(string line)
    {
        try
        {
            _output?.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // A line logged after its test ended (a background service stopping) has no test to go to.
        }
    }

    private sealed class Logger(TestLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            var line = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}");
            logs.Write(exception is null ? line : line + Environment.NewLine + exception);
        }
    }
}
