using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Paygo.Cli;
using Paygo.Testing;

namespace Paygo.Ui.Tests;

/// <summary>
/// <c>paygo login</c> as a person uses it: the command prints an address, the person signs in in
/// the browser (password and code), and the command ends signed in; then <c>paygo partners list</c> works.
/// </summary>
public sealed partial class CliLoginTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task Login_InTheBrowserWithPkce_ThenPartnersListWorks()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var address = server.StartOnSocket();
        using var cli = new RunningCli(address);

        var login = cli.RunAsync("login", "--server", address.ToString());
        var url = await cli.WaitForAsync(AuthorizeUrl());
        var page = await browser.NewPageAsync(address);
        await page.GotoAsync(url);
        await SignInSteps.SignInFromHereAsync(page, TestUsers.OperatorAdmin);
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("You are signed in to Paygo");

        Assert.Equal(0, await login);
        Assert.Equal(0, await cli.RunAsync("partners", "list", "--server", address.ToString()));
        Assert.Contains("Fabrikam Direct Ltd", cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WithTheDeviceFlow_ThenPartnersListWorks()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var address = server.StartOnSocket();
        using var cli = new RunningCli(address);

        var login = cli.RunAsync("login", "--device", "--server", address.ToString());
        var url = await cli.WaitForAsync(DeviceUrl());
        var page = await browser.NewPageAsync(address);
        await SignInSteps.SignInAsync(page, TestUsers.OperatorAdmin);
        await page.GotoAsync(url);

        // Nothing is approved by opening the address: the page names the code, the client and
        // what it gets, and only the click on Approve hands it over.
        var userCode = UserCode().Match(cli.Output).Groups[1].Value;
        await Assertions.Expect(page.GetByTestId("device-code")).ToHaveTextAsync(userCode);
        await Assertions.Expect(page.GetByTestId("device-client")).ToContainTextAsync("paygo-cli");
        await Assertions.Expect(page.GetByTestId("device-scopes")).ToContainTextAsync("90 days");
        await FluentSteps.ClickAsync(page, page.Locator("#device-approve"));
        await Assertions.Expect(page.GetByTestId("device-approved")).ToBeVisibleAsync();

        Assert.Equal(0, await login);
        Assert.Equal(0, await cli.RunAsync("partners", "list", "--server", address.ToString()));
        Assert.Contains("Fabrikam Direct Ltd", cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WithTheDeviceFlow_TypingTheCodeOnTheDevicePage_ShowsTheConfirmationFirst()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var address = server.StartOnSocket();
        using var cli = new RunningCli(address);

        var login = cli.RunAsync("login", "--device", "--server", address.ToString());
        await cli.WaitForAsync(DeviceUrl());
        var userCode = UserCode().Match(cli.Output).Groups[1].Value;
        var page = await browser.NewPageAsync(address);
        await SignInSteps.SignInAsync(page, TestUsers.OperatorAdmin, "/device");
        await FluentSteps.FillAsync(page, "device-code", userCode);
        await page.Locator("#device-next").ClickAsync();

        await Assertions.Expect(page.GetByTestId("device-code")).ToHaveTextAsync(userCode);
        await Assertions.Expect(page.GetByTestId("device-approved")).ToHaveCountAsync(0);
        await FluentSteps.ClickAsync(page, page.Locator("#device-approve"));
        await Assertions.Expect(page.GetByTestId("device-approved")).ToBeVisibleAsync();
        Assert.Equal(0, await login);
    }

    [GeneratedRegex(@"approve the code (\S+)\.")]
    private static partial Regex UserCode();

    [GeneratedRegex(@"http://\S+/connect/authorize\S+")]
    private static partial Regex AuthorizeUrl();

    [GeneratedRegex(@"http://\S+/connect/verify\S*")]
    private static partial Regex DeviceUrl();

    /// <summary>The CLI in-process with its own config folder and an output the test can watch.</summary>
    private sealed class RunningCli(Uri server) : IDisposable
    {
        private readonly WatchedWriter _output = new();
        private readonly string _config = Directory.CreateTempSubdirectory("paygo-cli-config-").FullName;

        public string Output => _output.Snapshot();

        public Task<int> RunAsync(params string[] args)
        {
            var environment = new CliEnvironment(_output, _output, name => name == "PAYGO_CONFIG_DIR" ? _config : null, () => new SocketsHttpHandler());
            _ = server;
            return Task.Run(() => PaygoCli.RunAsync(args, environment, TestContext.Current.CancellationToken));
        }

        public async Task<string> WaitForAsync(Regex pattern)
        {
            // As long as the browser's own bound (Browser.TimeoutMilliseconds): a loaded machine is slow, not broken.
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (waited.ElapsedMilliseconds < Browser.TimeoutMilliseconds)
            {
                if (pattern.Match(Output) is { Success: true } match)
                {
                    return match.Value;
                }

                await Task.Delay(100, TestContext.Current.CancellationToken);
            }

            throw new TimeoutException($"The CLI printed no {pattern}: {Output}");
        }

        public void Dispose()
        {
            _output.Dispose();
            Directory.Delete(_config, recursive: true);
        }
    }

    private sealed class WatchedWriter : TextWriter
    {
        private readonly StringBuilder _text = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public string Snapshot()
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }
}
