using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Paygo.Core;

namespace Paygo.Testing;

/// <summary>
/// The real server (Program) on a test database. In-memory by default; <see cref="StartOnSocketAsync"/>
/// puts it on a real loopback port for the CLI and the browser.
/// </summary>
public sealed class PaygoServer : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    private PaygoServer(TestDatabase database, bool demo, IReadOnlyDictionary<string, string?>? settings)
    {
        Database = database;
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["data-dir"] = database.DataDirectory,
            ["database"] = database.DatabaseOption,
            ["demo"] = demo ? "true" : "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public TestDatabase Database { get; }

    /// <summary>The base address on a real socket, once <see cref="StartOnSocketAsync"/> ran.</summary>
    public Uri? SocketAddress { get; private set; }

    /// <summary>A server on a fresh database of <paramref name="engine"/>, the demo instance seeded unless told otherwise.</summary>
    public static async Task<PaygoServer> StartAsync(string engine, bool demo = true, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = await TestDatabase.CreateAsync(engine);
        return new PaygoServer(database, demo, settings);
    }

    /// <summary>Serves on 127.0.0.1 with a free port (for clients outside this process's test host).</summary>
    public Uri StartOnSocket()
    {
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        SocketAddress = new Uri(addresses.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        return SocketAddress;
    }

    public Task<Uri> StartOnSocketAsync() => Task.FromResult(StartOnSocket());

    public HttpClient CreateJsonClient()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public PaygoDbContext CreateDbContext() => Database.CreateContext();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("urls", "http://127.0.0.1:0");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
