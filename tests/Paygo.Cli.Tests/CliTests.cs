using Microsoft.EntityFrameworkCore;
using Paygo.Testing;

namespace Paygo.Cli.Tests;

public sealed class CliTests
{
    [Fact]
    public async Task Help_ListsTheCommandGroups()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync(null, "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("partners", output, StringComparison.Ordinal);
        Assert.Contains("db", output, StringComparison.Ordinal);
        Assert.Contains("version", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_PrintsTheVersion()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync(null, "version");

        Assert.Equal(0, exitCode);
        Assert.StartsWith("paygo 0.1.0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_FailsWithAHint()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(null, "partners", "lst");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("lst", error, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task PartnersCreateThenList_ShowsTheNewPartner(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);

        var created = await CliRunner.RunAsync(server, "partners", "create", "--name", "Tailspin SAS", "--type", "direct-bill", "--mpn-id", "5123456", "--country", "FR");
        var listed = await CliRunner.RunAsync(server, "partners", "list", "--page-size", "2");

        Assert.Equal(0, created.ExitCode);
        Assert.Contains("billed in EUR", created.Output, StringComparison.Ordinal);
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("Tailspin SAS", listed.Output, StringComparison.Ordinal);
        Assert.Contains("Fabrikam Direct Ltd", listed.Output, StringComparison.Ordinal);
        Assert.Contains("4 partner(s).", listed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartnersList_OverARealSocket_Works()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        server.StartOnSocket();

        var (exitCode, output, _) = await CliRunner.RunAsync(server, "partners", "list", "--json");

        Assert.Equal(0, exitCode);
        Assert.StartsWith("[", output.TrimStart(), StringComparison.Ordinal);
        Assert.Contains("\"mpnId\":\"4390934\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartnersCreate_Invalid_ExitsOneNamingEachField()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);

        var (exitCode, _, error) = await CliRunner.RunAsync(server, "partners", "create", "--name", "X", "--type", "distributor", "--mpn-id", "12", "--country", "XX");

        Assert.Equal(1, exitCode);
        Assert.Contains("Error 3000", error, StringComparison.Ordinal);
        Assert.Contains("partnerType:", error, StringComparison.Ordinal);
        Assert.Contains("mpnId:", error, StringComparison.Ordinal);
        Assert.Contains("country:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartnersList_NoServer_ExitsOneSayingSo()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(null, "partners", "list", "--server", "http://127.0.0.1:1");

        Assert.Equal(1, exitCode);
        Assert.Contains("Cannot reach the Paygo server", error, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task DbMigrate_OnAnEmptyDatabase_AppliesEveryMigration(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine, migrate: false);
        string[] target = database.DatabaseOption is { } cs ? ["--database", cs] : ["--data-dir", database.DataDirectory];

        var (exitCode, output, error) = await CliRunner.RunAsync(null, ["db", "migrate", .. target]);

        Assert.True(exitCode == 0, error);
        Assert.Contains("_Initial", output, StringComparison.Ordinal);
        await using var db = database.CreateContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await db.Partners.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task DbMigrate_UnreachableDatabase_ExitsOneWithoutThePassword()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(null, "db", "migrate", "--database", "Host=127.0.0.1;Port=1;Database=x;Username=u;Password=hunter2");

        Assert.Equal(1, exitCode);
        Assert.Contains("127.0.0.1:1/x", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }
}
