using Microsoft.Playwright;
using Paygo.Testing;

namespace Paygo.Ui.Tests;

/// <summary>
/// One headless Debian Chromium per test class (STACK-NOTES.md): no browser download, no
/// sandbox (CI runs as root), no background network, and its profile in a temporary folder.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>
    /// How long an action, a navigation or an expectation may wait. Generous on purpose: on a
    /// loaded 2-core machine a first Blazor render took over 15 s; a test that really fails
    /// still fails, only later.
    /// </summary>
    public const int TimeoutMilliseconds = 60_000;

    private readonly string _profile = Directory.CreateTempSubdirectory("paygo-chromium-").FullName;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async ValueTask InitializeAsync()
    {
        // Expect(...) has its own default (5 s) beside the context's; both get the same bound.
        Assertions.SetDefaultExpectTimeout(TimeoutMilliseconds);
        if (!File.Exists(ChromiumPath))
        {
            if (Engines.IsCi)
            {
                Assert.Fail($"Browser tests need Debian's Chromium at {ChromiumPath}; .ci/run installs it.");
            }

            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            Env = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = _profile, ["XDG_CACHE_HOME"] = _profile },
        });
    }

    /// <summary>A fresh page; skips the test on a developer machine without Chromium.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress)
    {
        if (_browser is null)
        {
            Assert.Skip($"Browser tests need Debian's Chromium at {ChromiumPath} (apt-get install chromium).");
        }

        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString() });
        context.SetDefaultTimeout(TimeoutMilliseconds);
        context.SetDefaultNavigationTimeout(TimeoutMilliseconds);
        var page = await context.NewPageAsync();
        PageLog.Attach(page);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be writing its last file.
        }
    }
}
