using System.Text;
using Paygo.Core.Demo;
using Paygo.Testing;

namespace Paygo.Cli.Tests;

/// <summary><c>paygo access import|export|list|end</c> against a real server, as Fabrikam's Admin agent (whose partner holds AOBO Owner on Tailspin's subscription).</summary>
public sealed class AccessCliTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("paygo-cli-access-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ImportExportListEnd_RoundTripTheSampleAndEndARecord(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var agent = await AgentAsync(server);
        var sample = Sample();
        var exported = Path.Combine(_directory.FullName, "exported.csv");
        var customer = DemoCommerce.TailspinCustomerId.ToString();

        var imported = await CliRunner.RunAsync(server, agent, "access", "import", sample);
        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.Contains("Imported 5 row(s): 4 recorded, 0 ended, 1 already recorded.", imported.Output, StringComparison.Ordinal);

        var export = await CliRunner.RunAsync(server, agent, "access", "export", "--customer", customer, "--out", exported);
        Assert.True(export.ExitCode == 0, export.Error);
        Assert.Equal(await File.ReadAllBytesAsync(sample, TestContext.Current.CancellationToken), await File.ReadAllBytesAsync(exported, TestContext.Current.CancellationToken));

        var list = await CliRunner.RunAsync(server, agent, "access", "list", "--customer", customer, "--state", "active");
        Assert.True(list.ExitCode == 0, list.Error);
        var line = list.Output.Split('\n').Single(l => l.Contains("Contributor for user", StringComparison.Ordinal) && l.Contains("rg-app", StringComparison.Ordinal));
        var id = line.Split(' ', 2)[0];

        var ended = await CliRunner.RunAsync(server, agent, "access", "end", id, "--customer", customer, "--at", "2026-11-20T12:00:00Z");
        Assert.True(ended.ExitCode == 0, ended.Error);
        Assert.Contains("Ended 3b7e2c1a-0d4f-4e6a-9b85-1f2a3c4d5e01 (Contributor on /subscriptions/", ended.Output, StringComparison.Ordinal);
        Assert.Contains("at 2026-11-20T12:00:00Z.", ended.Output, StringComparison.Ordinal);

        var again = await CliRunner.RunAsync(server, agent, "access", "end", id, "--customer", customer);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("an end is set once", again.Error, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Import_FileWithOneBadRow_FailsNamingRowAndColumn(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var agent = await AgentAsync(server);
        var text = (await File.ReadAllTextAsync(Sample(), TestContext.Current.CancellationToken)).Replace(",Storage Account Contributor,", ",Storage Account Wizard,", StringComparison.Ordinal);
        var bad = Path.Combine(_directory.FullName, "bad.csv");
        await File.WriteAllTextAsync(bad, text, new UTF8Encoding(false), TestContext.Current.CancellationToken);

        var imported = await CliRunner.RunAsync(server, agent, "access", "import", bad);

        Assert.Equal(1, imported.ExitCode);
        Assert.Contains("row 4, column RoleDefinitionName:", imported.Error, StringComparison.Ordinal);
        var list = await CliRunner.RunAsync(server, agent, "access", "list", "--customer", DemoCommerce.TailspinCustomerId.ToString());
        Assert.Contains("1 record(s).", list.Output, StringComparison.Ordinal); // only the demo's AOBO Owner
    }

    private static async Task<Dictionary<string, string>> AgentAsync(PaygoServer server) =>
        new() { ["PAYGO_TOKEN"] = await server.GetTokenAsync(DemoUsers.All.Single(u => u.Email == "adminagent@fabrikam.example")) };

    private static string Sample()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Paygo.slnx")))
            {
                return Path.Combine(folder.FullName, "samples", "access", "tailspin-access.csv");
            }
        }

        throw new InvalidOperationException("No Paygo.slnx above the test's folder.");
    }
}
