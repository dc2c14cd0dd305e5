using Paygo.Core;
using Paygo.Core.Audit;
using Paygo.Core.Demo;
using OpenIddict.Abstractions;
using Paygo.Core.Identity;
using Paygo.Core.Storage;
using Paygo.Server.Identity;

namespace Paygo.Server.Hosting;

/// <summary>
/// Creates, migrates and (for a demo instance) seeds the database, and encrypts any TOTP secret
/// found in clear, before the server accepts requests. The server's run loop calls <see cref="EnsureReadyAsync"/> before the host starts,
/// so a dead database ends start-up with one sentence; under the test host, which never runs
/// that loop, <see cref="IHostedLifecycleService.StartingAsync"/> does it before Kestrel starts.
/// </summary>
internal sealed partial class DatabaseStartup(
    StorageSettings storage,
    PaygoOptions options,
    AuthSettings authSettings,
    IServiceScopeFactory scopes,
    ISecretProtector secrets,
    TimeProvider clock,
    ILogger<DatabaseStartup> logger)
    : IHostedLifecycleService, IDisposable
{
    private readonly SemaphoreSlim _once = new(1, 1);

    /// <summary>True once the database is migrated; /health/ready reports not ready before.</summary>
    public bool IsReady { get; private set; }

    public async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        await _once.WaitAsync(cancellationToken);
        try
        {
            if (IsReady)
            {
                return;
            }

            // A context without the host's loggers: a failure here is reported once, as one sentence.
            await using var db = CoreServices.CreateContext(storage);
            var anchored = await DatabaseSetup.MigrateAsync(db, storage, options.Demo, cancellationToken);
            if (anchored.Count > 0)
            {
                // Expected once, on the first start after an upgrade; at any other time a chain
                // head was deleted from the database and its end can no longer be vouched for.
                LogChainsAnchored(logger, anchored.Count, string.Join(", ", anchored));
            }

            // The demo month (docs/adr/0035): once, dated from this server's clock, through the real import and ingestion paths.
            if (options.DemoMonth && await DemoMonth.SeedAsync(db, storage, AuditAnchorKey.LoadOrCreate(storage.KeysDirectory), clock, cancellationToken) is { } month)
            {
                LogDemoMonth(logger, month.PriceLists, month.PriceRows, month.FxRates, month.UsageRecords, month.Elapsed.TotalSeconds);
            }

            // Creates the key ring now if there is none, so every later writer (CLI, other nodes) finds this one.
            _ = secrets.Protect(Guid.Empty, string.Empty);
            var encrypted = await TotpSecretsAtRest.ProtectClearSecretsAsync(db, secrets, AuditAnchorKey.LoadOrCreate(storage.KeysDirectory), clock, cancellationToken);
            if (encrypted > 0)
            {
                LogSecretsEncrypted(logger, encrypted);
            }

            await using (var scope = scopes.CreateAsyncScope())
            {
                var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
                await OAuthClients.EnsureAsync(applications, authSettings, options.Demo, cancellationToken);
            }

            if (options.Demo)
            {
                await DemoCredentials.WriteAsync(options.DataDirectory, cancellationToken);
            }

            IsReady = true;
            LogReady(logger, storage.Engine.Name, storage.Description, options.Demo);
        }
        finally
        {
            _once.Release();
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => EnsureReadyAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _once.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Encrypted {Count} TOTP secrets that were stored in clear")]
    private static partial void LogSecretsEncrypted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the demo month: {PriceLists} price lists ({PriceRows} rows), {FxRates} FX rates, {UsageRecords} usage records in {Seconds:F2} s")]
    private static partial void LogDemoMonth(ILogger logger, int priceLists, int priceRows, int fxRates, int usageRecords, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready: {Engine} at {Location} (demo instance: {Demo})")]
    private static partial void LogReady(ILogger logger, string engine, string location, bool demo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signed a new head for {Count} audit chain(s) that had none: {Chains}. Expected once after an upgrade; otherwise a chain head was deleted and the end of that chain cannot be vouched for (docs/adr/0009).")]
    private static partial void LogChainsAnchored(ILogger logger, int count, string chains);
}
