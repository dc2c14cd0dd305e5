using Paygo.Core.Demo;
using Paygo.Testing;

namespace Paygo.Cli.Tests;

/// <summary><c>paygo partners domains list|set</c> against a real server (docs/adr/0015).</summary>
public sealed class DomainCliTests
{
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task DomainsSetThenList_ShowsTheWholeList_AndAForeignDomainExitsOne(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var fabrikam = DemoInstance.DirectBillPartnerId.ToString();

        var set = await CliRunner.RunAsync(server, "partners", "domains", "set", fabrikam, "fabrikam.example", "fabrikam.co.uk");
        var listed = await CliRunner.RunAsync(server, "partners", "domains", "list", fabrikam);
        var taken = await CliRunner.RunAsync(server, "partners", "domains", "set", "operator", "northwind-ops.example", "fabrikam.co.uk");

        Assert.Equal(0, set.ExitCode);
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("fabrikam.co.uk", listed.Output, StringComparison.Ordinal);
        Assert.Contains("2 verified domain(s).", listed.Output, StringComparison.Ordinal);
        Assert.Equal(1, taken.ExitCode);
        Assert.Contains("already a verified domain", taken.Error, StringComparison.Ordinal);
    }
}
