using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using Paygo.Core;
using Paygo.Core.Demo;
using Paygo.Core.Identity;

namespace Paygo.Testing;

/// <summary>
/// The real server (Program) on a test database. In-memory by default; <see cref="StartOnSocket"/>
/// puts it on a real loopback port for the CLI and the browser.
/// </summary>
public sealed class PaygoServer : WebApplicationFactory<Program>
{
    // CreateJsonClient signs in synchronously (182 call sites), and the in-process servers of
    // parallel tests share the runner's thread pool. On two cores the pool starts with two
    // workers and adds about one a second, so blocked sign-ins starved the servers for tens of
    // seconds on CI. Starting with more workers keeps a blocked caller from stalling the rest.
    static PaygoServer() => ThreadPool.SetMinThreads(Math.Max(32, Environment.ProcessorCount * 8), Math.Max(32, Environment.ProcessorCount * 8));

    private readonly Dictionary<string, string?> _settings;
    private readonly Dictionary<string, string> _tokens = new(StringComparer.OrdinalIgnoreCase);
    private readonly bool _demo;
    private bool _onSocket;
    private DemoUser? _defaultUser;

    private PaygoServer(TestDatabase database, bool demo, IReadOnlyDictionary<string, string?>? settings)
    {
        Database = database;
        _demo = demo;
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["data-dir"] = database.DataDirectory,
            ["database"] = database.DatabaseOption,
            ["demo"] = demo ? "true" : "false",
            ["Paygo:Auth:AllowPasswordGrant"] = "true",

            // Failed sign-ins wait out a floor of 1 s in production; tests of lockout make many.
            ["Paygo:Auth:FailureFloorMilliseconds"] = "20",

            // The demo month (docs/adr/0035) only for a test that asks for it: most tests need no month of usage.
            ["demo-month"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public TestDatabase Database { get; }

    /// <summary>The base address on a real socket, once <see cref="StartOnSocket"/> ran.</summary>
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
        _onSocket = true;
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        SocketAddress = new Uri(addresses.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        return SocketAddress;
    }

    /// <summary>A client without a token.</summary>
    public HttpClient CreateAnonymousClient()
    {
        var options = new WebApplicationFactoryClientOptions { AllowAutoRedirect = false };
        if (SocketAddress is not null)
        {
            options.BaseAddress = SocketAddress;
        }

        var client = CreateClient(options);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>
    /// A client with a bearer token of <paramref name="user"/> (the operator's Global admin by
    /// default; on a server without demo data, a new operator Global admin).
    /// </summary>
    public HttpClient CreateJsonClient(DemoUser? user = null)
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GetTokenAsync(user).GetAwaiter().GetResult());
        return client;
    }

    /// <summary>An access token for a user, signed in once per server (a TOTP step is accepted only once).</summary>
    public async Task<string> GetTokenAsync(DemoUser? user = null)
    {
        user ??= _demo ? TestUsers.OperatorAdmin : await DefaultUserAsync();
        if (_tokens.TryGetValue(user.Email, out var cached))
        {
            return cached;
        }

        using var client = CreateAnonymousClient();

        // The code is computed before the request is sent. On a loaded CI machine the request can
        // sit in the client's or the server's queue for more than the ±1 step the server accepts
        // (CI saw 44 s), and a browser sign-in of the same user may have used this step's code
        // already; so a refused code is tried once more with the next step's code, which the
        // server accepts (±1 step) and no one has used. A refused code consumes no step, and two
        // failures are far from the lockout threshold.
        var text = "";
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            using var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password",
                ["client_id"] = "paygo-cli",
                ["username"] = user.Email,
                ["password"] = DemoUsers.Password,
                ["otp"] = TestUsers.Code(user, stepsAhead: attempt - 1),
            }));
            text = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                break;
            }

            if (attempt == 2 || !text.Contains("invalid_grant", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Sign-in of {user.Email} failed: {text}");
            }
        }

        using var json = JsonDocument.Parse(text);
        var token = json.RootElement.GetProperty("access_token").GetString()!;
        _tokens[user.Email] = token;
        return token;
    }

    private async Task<DemoUser> DefaultUserAsync() =>
        _defaultUser ??= await TestUsers.AddAsync(Database, null, PartnerRole.GlobalAdmin, PartnerRole.UserManagementAdmin);

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

        // A server on a socket serves a browser or the CLI, whose failures are waits (a page that
        // never finished loading): its log names every request with its start and its duration,
        // so a failed test shows which request the server held and for how long.
        if (_onSocket)
        {
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Information");
        }

        // The server's log goes to the test's output, not the console (see TestLogs). After the
        // server's own registrations, which put a JSON console logger in.
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<ILoggerProvider>();
            services.AddSingleton<ILoggerProvider, TestLogs>();
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
