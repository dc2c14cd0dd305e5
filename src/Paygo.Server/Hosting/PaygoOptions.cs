namespace Paygo.Server.Hosting;

/// <summary>
/// Where the server keeps its data and which database it uses. Each setting comes from the
/// command line (<c>--data-dir</c>, <c>--database</c>, <c>--demo</c>), else the environment
/// (<c>PAYGO_DATA_DIR</c>, <c>PAYGO_DATABASE</c>, <c>PAYGO_DEMO</c>), else its default.
/// </summary>
public sealed record PaygoOptions(string DataDirectory, string? Database, bool Demo)
{
    public const string DefaultDataDirectory = "./data";

    /// <summary>
    /// Whether a demo instance also gets its month of price lists, FX, access and usage
    /// (<c>--demo-month</c>, <c>PAYGO_DEMO_MONTH</c> or <c>Paygo:Demo:Month</c>; docs/adr/0035). On with
    /// the demo by default; the test host turns it off, since most tests do not need a month.
    /// </summary>
    public bool DemoMonth { get; init; }

    /// <summary>Reads the options; a malformed value is a <see cref="ArgumentException"/> naming the option.</summary>
    public static PaygoOptions Read(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var dataDirectory = First(configuration, "data-dir", "PAYGO_DATA_DIR") ?? DefaultDataDirectory;
        var database = First(configuration, "database", "PAYGO_DATABASE");

        // The demo instance is the default for a developer's `dotnet run` (Development), never
        // for a production start, which must seed nothing (docs/adr/0006).
        var demo = environment.IsDevelopment();
        var demoText = First(configuration, "demo", "PAYGO_DEMO");
        if (demoText is not null && !bool.TryParse(demoText, out demo))
        {
            throw new ArgumentException($"The option --demo must be true or false, not '{demoText}'.");
        }

        var demoMonth = demo;
        var demoMonthText = First(configuration, "demo-month", "PAYGO_DEMO_MONTH") ?? First(configuration, "Paygo:Demo:Month", "Paygo__Demo__Month");
        if (demoMonthText is not null && !bool.TryParse(demoMonthText, out demoMonth))
        {
            throw new ArgumentException($"The option --demo-month must be true or false, not '{demoMonthText}'.");
        }

        return new PaygoOptions(Path.GetFullPath(dataDirectory), database, demo) { DemoMonth = demo && demoMonth };
    }

    private static string? First(IConfiguration configuration, string commandLineKey, string environmentKey)
    {
        var value = configuration[commandLineKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            value = configuration[environmentKey];
        }

        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
