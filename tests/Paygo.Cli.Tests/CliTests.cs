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
        Assert.Contains("customers", output, StringComparison.Ordinal);
        Assert.Contains("agreements", output, StringComparison.Ordinal);
        Assert.Contains("plans", output, StringComparison.Ordinal);
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

        // The table shows the partner type's display name; JSON keeps the wire value.
        Assert.Contains("Direct bill", listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("direct-bill", listed.Output, StringComparison.Ordinal);
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
        var (exitCode, _, error) = await CliRunner.RunAsync(null, new Dictionary<string, string> { ["PAYGO_TOKEN"] = "any" }, "partners", "list", "--server", "http://127.0.0.1:1");

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
        Assert.Contains("applied)", output, StringComparison.Ordinal);
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

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Login_ThenPartnersList_UsesTheSavedToken(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var config = Directory.CreateTempSubdirectory("paygo-cli-config-").FullName;
        var variables = new Dictionary<string, string> { ["PAYGO_CONFIG_DIR"] = config };
        var user = TestUsers.OperatorAdmin;

        var login = await CliRunner.RunAsync(server, variables, "login", "--user", user.Email, "--password", Paygo.Core.Demo.DemoUsers.Password, "--otp", TestUsers.Code(user));
        var listed = await CliRunner.RunAsync(server, variables, "partners", "list");

        Assert.True(login.ExitCode == 0, login.Error);
        Assert.Contains("Signed in", login.Output, StringComparison.Ordinal);
        Assert.True(listed.ExitCode == 0, listed.Error);
        Assert.Contains("Fabrikam Direct Ltd", listed.Output, StringComparison.Ordinal);
        Directory.Delete(config, recursive: true);
    }

    [Fact]
    public async Task Login_WrongCode_ExitsOneWithoutSaving()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var config = Directory.CreateTempSubdirectory("paygo-cli-config-").FullName;
        var variables = new Dictionary<string, string> { ["PAYGO_CONFIG_DIR"] = config };

        var (exitCode, _, error) = await CliRunner.RunAsync(server, variables, "login", "--user", TestUsers.OperatorAdmin.Email, "--password", Paygo.Core.Demo.DemoUsers.Password, "--otp", "000000");

        Assert.Equal(1, exitCode);
        Assert.Contains("Sign-in refused", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(config, "credentials.json")));
        Directory.Delete(config, recursive: true);
    }

    [Fact]
    public async Task PartnersList_NotSignedIn_SaysHowToSignIn()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var config = Directory.CreateTempSubdirectory("paygo-cli-config-").FullName;

        var (exitCode, _, error) = await CliRunner.RunAsync(server, new Dictionary<string, string> { ["PAYGO_CONFIG_DIR"] = config }, "partners", "list");

        Assert.Equal(1, exitCode);
        Assert.Contains("paygo login", error, StringComparison.Ordinal);
        Directory.Delete(config, recursive: true);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AuditVerify_FindsARecordEditedInTheDatabase(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var created = await CliRunner.RunAsync(server, "partners", "create", "--name", "Tailspin SAS", "--type", "direct-bill", "--mpn-id", "5123456", "--country", "FR");
        Assert.Equal(0, created.ExitCode);
        // The data directory holds the audit key that signs the chain heads, also beside --database.
        string[] target = server.Database.DatabaseOption is { } cs ? ["--database", cs, "--data-dir", server.Database.DataDirectory] : ["--data-dir", server.Database.DataDirectory];

        var intact = await CliRunner.RunAsync(null, ["audit", "verify", .. target]);
        await using (var db = server.CreateDbContext())
        {
            var record = await db.AuditRecords.OrderByDescending(r => r.Sequence).FirstAsync(r => r.OperationType == "create_partner", TestContext.Current.CancellationToken);
            record.ResourceNewValue = record.ResourceNewValue!.Replace("Tailspin", "Tampered", StringComparison.Ordinal);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var broken = await CliRunner.RunAsync(null, ["audit", "verify", .. target]);

        Assert.True(intact.ExitCode == 0, intact.Error);
        Assert.Contains("intact", intact.Output, StringComparison.Ordinal);
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("broken at record", broken.Error, StringComparison.Ordinal);
        Assert.Contains("create_partner", broken.Error, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AuditVerify_ReportsEachChain_AndFindsDeletedLastRecords(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var created = await CliRunner.RunAsync(server, "partners", "create", "--name", "Tailspin SAS", "--type", "direct-bill", "--mpn-id", "5123457", "--country", "FR");
        Assert.Equal(0, created.ExitCode);
        string[] target = server.Database.DatabaseOption is { } cs ? ["--database", cs, "--data-dir", server.Database.DataDirectory] : ["--data-dir", server.Database.DataDirectory];
        var intact = await CliRunner.RunAsync(null, ["audit", "verify", .. target]);
        Guid partnerId;
        await using (var db = server.CreateDbContext())
        {
            partnerId = (await db.Partners.SingleAsync(p => p.MpnId == "5123457", TestContext.Current.CancellationToken)).Id;
            var last = await db.AuditRecords.Where(r => r.PartnerId == partnerId).MaxAsync(r => r.Sequence, TestContext.Current.CancellationToken);
            await db.AuditRecords.Where(r => r.PartnerId == partnerId && r.Sequence == last).ExecuteDeleteAsync(TestContext.Current.CancellationToken);
        }

        var truncated = await CliRunner.RunAsync(null, ["audit", "verify", .. target]);
        var withoutKey = await CliRunner.RunAsync(null, ["audit", "verify", .. target[..^2], "--data-dir", Path.Combine(server.Database.DataDirectory, "elsewhere")]);

        Assert.True(intact.ExitCode == 0, intact.Error);
        Assert.Contains($"partner {partnerId} (Tailspin SAS): intact", intact.Output, StringComparison.Ordinal);
        Assert.Contains("operator: intact", intact.Output, StringComparison.Ordinal);
        Assert.Equal(1, truncated.ExitCode);
        Assert.Contains($"The audit trail of partner {partnerId} (Tailspin SAS) is broken at record", truncated.Error, StringComparison.Ordinal);
        Assert.Contains("deleted from the end", truncated.Error, StringComparison.Ordinal);
        Assert.Equal(1, withoutKey.ExitCode);
        Assert.Contains("No audit key", withoutKey.Error, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AdminBootstrap_OnAnEmptyInstance_PrintsAOneTimeLinkOnce(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine, migrate: false);
        string[] target = database.DatabaseOption is { } cs ? ["--database", cs] : ["--data-dir", database.DataDirectory];

        var first = await CliRunner.RunAsync(null, ["admin", "bootstrap", "--email", "root@operator.example", "--name", "Root Admin", "--url", "https://paygo.operator.example", .. target]);
        var second = await CliRunner.RunAsync(null, ["admin", "bootstrap", "--email", "other@operator.example", "--name", "Other", .. target]);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("https://paygo.operator.example/enrol?token=", first.Output, StringComparison.Ordinal);
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("already has users", second.Error, StringComparison.Ordinal);
        await using var db = database.CreateContext();
        var user = await db.Users.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Null(user.PasswordHash);
        Assert.Null(user.TotpSecret);
        Assert.Equal(1, await db.EnrolmentTokens.CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Login_AsAPartnerUser_ThenPartnersList_ExplainsWhoListsPartners(string engine)
    {
        // The old README: `login`, then `partners list`, as a partner's Admin agent; it answered a bare 403.
        await using var server = await PaygoServer.StartAsync(engine);
        var config = Directory.CreateTempSubdirectory("paygo-cli-config-").FullName;
        var variables = new Dictionary<string, string> { ["PAYGO_CONFIG_DIR"] = config };
        var user = TestUsers.ByEmail("adminagent@fabrikam.example");

        var login = await CliRunner.RunAsync(server, variables, "login", "--user", user.Email, "--password", Paygo.Core.Demo.DemoUsers.Password, "--otp", TestUsers.Code(user));
        var listed = await CliRunner.RunAsync(server, variables, "partners", "list");
        var customers = await CliRunner.RunAsync(server, variables, "customers", "list");

        Assert.True(login.ExitCode == 0, login.Error);
        Assert.Equal(1, listed.ExitCode);
        Assert.Contains("Only the operator's users list partners", listed.Error, StringComparison.Ordinal);
        Assert.Contains("paygo customers list", listed.Error, StringComparison.Ordinal);
        Assert.True(customers.ExitCode == 0, customers.Error);
        Directory.Delete(config, recursive: true);
    }

    [Fact]
    public async Task CustomersCreateHelp_MarksTheContactsNameRequired()
    {
        // The server refuses a customer without the billing contact's name; --help said optional.
        var (exitCode, output, _) = await CliRunner.RunAsync(null, "customers", "create", "--help");

        Assert.Equal(0, exitCode);
        var lines = output.Split('\n');
        Assert.Contains(lines, l => l.Contains("--first-name", StringComparison.Ordinal) && l.Contains("(REQUIRED)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("--last-name", StringComparison.Ordinal) && l.Contains("(REQUIRED)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("--state", StringComparison.Ordinal) && l.Contains("US", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task DemoCode_FromTheDataDirectory_SignsTheUserIn(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var started = server.CreateAnonymousClient(); // starts the server, which writes demo-credentials.json
        var config = Directory.CreateTempSubdirectory("paygo-cli-config-").FullName;
        var variables = new Dictionary<string, string> { ["PAYGO_CONFIG_DIR"] = config, ["PAYGO_DATA_DIR"] = server.Database.DataDirectory };
        const string Email = "billingadmin@fabrikam.example";

        var code = await CliRunner.RunAsync(null, variables, "demo", "code", Email);
        var login = await CliRunner.RunAsync(server, variables, "login", "--user", Email, "--password", Paygo.Core.Demo.DemoUsers.Password, "--otp", code.Output.Trim());

        Assert.True(code.ExitCode == 0, code.Error);
        Assert.Matches("^[0-9]{6}$", code.Output.Trim());
        Assert.True(login.ExitCode == 0, login.Error);
        Directory.Delete(config, recursive: true);
    }

    [Fact]
    public async Task DemoCode_WithoutCredentialsFile_SaysToStartTheDemoServer()
    {
        var empty = Directory.CreateTempSubdirectory("paygo-nodemo-").FullName;

        var (exitCode, _, error) = await CliRunner.RunAsync(null, "demo", "code", "admin@northwind-ops.example", "--data-dir", empty);

        Assert.Equal(1, exitCode);
        Assert.Contains("start the demo server first", error, StringComparison.Ordinal);
        Directory.Delete(empty, recursive: true);
    }
}
