using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;
using Paygo.Core;
using Paygo.Core.Identity;
using Paygo.Core.Storage;
using Paygo.Data.Postgres;
using Paygo.Data.Sqlite;

namespace Paygo.Server.Hosting;

/// <summary>Options, logging, telemetry, storage and the run loop of the server.</summary>
public static class HostingExtensions
{
    /// <summary>Exit code when the server cannot start (bad option, unusable database).</summary>
    public const int StartupFailedExitCode = 2;

    /// <summary>Structured JSON logs on the console, one object per line, UTC timestamps.</summary>
    public static WebApplicationBuilder AddPaygoLogging(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            options.JsonWriterOptions = new() { Indented = false };
        });
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Warning);
        return builder;
    }

    /// <summary>Metrics of the HTTP server, the runtime and Paygo's own meter, served to Prometheus at /metrics (with a scrape token: <see cref="MetricsAccess"/>).</summary>
    public static WebApplicationBuilder AddPaygoTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddMeter(PaygoMetrics.MeterName)
            .AddPrometheusExporter());
        builder.Services.AddSingleton<PaygoMetrics>();
        builder.Services.AddSingleton(MetricsAccess.Read(builder.Configuration));
        return builder;
    }

    public static WebApplication MapPaygoTelemetry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var access = app.Services.GetRequiredService<MetricsAccess>();
        if (access.Enabled)
        {
            app.MapPrometheusScrapingEndpoint(MetricsAccess.Path, meterProvider: null, access.RequireToken, optionsName: null)
                .DisableRateLimiting().AllowAnonymous();
        }

        return app;
    }

    /// <summary>
    /// Reads the options, chooses the engine (the SQLite file in the data directory, or
    /// PostgreSQL) and registers the migration that runs before the server listens. A bad option
    /// or connection string ends the process with one sentence, not a stack trace.
    /// </summary>
    public static WebApplicationBuilder AddPaygoStorage(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        PaygoOptions options;
        StorageSettings storage;
        try
        {
            options = PaygoOptions.Read(builder.Configuration, builder.Environment);
            DataDirectory.Create(options.DataDirectory);
            var sqlite = new SqliteEngine();
            storage = StorageSettings.Choose(options.Database, options.DataDirectory, sqlite, [new PostgresEngine(), sqlite]);
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Paygo cannot start: {e.Message}");
            Environment.Exit(StartupFailedExitCode);
            throw;
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddPaygoCore(storage);

        // Keys for antiforgery tokens, sign-in cookies and TOTP secrets at rest survive restarts with
        // the data; the CLI and tests open the same key ring (PaygoKeyRing, docs/adr/0015).
        builder.Services.AddDataProtection().UseDataDirectory(options.DataDirectory);
        builder.Services.AddSingleton<ISecretProtector>(sp => new DataProtectionSecretProtector(sp.GetRequiredService<IDataProtectionProvider>()));
        builder.Services.AddSingleton<DatabaseStartup>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DatabaseStartup>());
        return builder;
    }

    /// <summary>
    /// Runs the server; a start-up that fails on its options or its database ends with one
    /// sentence on standard error and exit code <see cref="StartupFailedExitCode"/>, not a stack trace.
    /// </summary>
    public static async Task<int> RunPaygoAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        try
        {
            await app.Services.GetRequiredService<DatabaseStartup>().EnsureReadyAsync(app.Lifetime.ApplicationStopping);
            await app.RunAsync();
            return 0;
        }
        catch (DatabaseUnavailableException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return StartupFailedExitCode;
        }
    }
}
