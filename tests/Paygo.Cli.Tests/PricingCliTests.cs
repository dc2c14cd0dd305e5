using System.Text;
using System.Text.Json;
using Paygo.Rating.Pricing;
using Paygo.Testing;

namespace Paygo.Cli.Tests;

/// <summary><c>paygo prices|fx</c> against a real server, signed in as the demo operator's Global admin.</summary>
public sealed class PricingCliTests : IDisposable
{
    private const string Header =
        "ProductTitle,ProductId,SkuId,SkuTitle,Publisher,SkuDescription,UnitOfMeasure,TermDuration,Market,Currency,UnitPrice," +
        "PricingTierRangeMin,PricingTierRangeMax,EffectiveStartDate,EffectiveEndDate,MeterIds,MeterType,Tags\r\n";

    private const string TieredMeter = "9f0a3d1c-6b2e-4c55-9d8e-0c1f2a3b4c5d";
    private const string FlatMeter = "1b2c3d4e-0000-4c55-9d8e-0c1f2a3b4c5d";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("paygo-cli-pricing-");

    public void Dispose() => _directory.Delete(recursive: true);

    // Reference §4.2's graduated example (1-100 at 1, 101-100000 at 0.80, then 0.50) and one flat meter, canonical as Paygo writes it.
    private static string PriceList(string flatPrice = "0.0450") =>
        Header +
        $"Azure Monitor,DDD123456ABC,01AB,Standard,Microsoft,Azure Monitor Standard,1 GB,payG-1,US,USD,1,1,100,3/1/2018 12:00:00 AM,11/30/9999 11:59:59 PM,{TieredMeter},1 GB,\"Azure,Consumption\"\r\n" +
        $"Azure Monitor,DDD123456ABC,01AB,Standard,Microsoft,Azure Monitor Standard,1 GB,payG-1,US,USD,0.80,101,100000,3/1/2018 12:00:00 AM,11/30/9999 11:59:59 PM,{TieredMeter},1 GB,\"Azure,Consumption\"\r\n" +
        $"Azure Monitor,DDD123456ABC,01AB,Standard,Microsoft,Azure Monitor Standard,1 GB,payG-1,US,USD,0.50,100001,9223372036854780000,3/1/2018 12:00:00 AM,11/30/9999 11:59:59 PM,{TieredMeter},1 GB,\"Azure,Consumption\"\r\n" +
        $"Virtual Machines,DZH318Z0BQ5S,0006,D2s v3,Microsoft,\"D2s v3, Linux\",100 Hours,payG-1,US,USD,{flatPrice},,,10/1/2020 12:00:00 AM,11/30/9999 11:59:59 PM,{FlatMeter},100 Hours,\"Azure,Consumption\"\r\n";

    private string WriteFile(string name, string text) => WriteFile(name, Encoding.UTF8.GetBytes(text));

    private string WriteFile(string name, byte[] bytes)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static async Task ImportAsync(PaygoServer server, string file, string month)
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(server, "prices", "import", file, "--market", "US", "--month", month);
        Assert.True(exitCode == 0, error);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task PricesImport_TieredFile_ThenShowPrintsItsThreeTiers(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var file = WriteFile("us-202611.csv", PriceList());

        var imported = await CliRunner.RunAsync(server, "prices", "import", file, "--market", "US", "--month", "202611");
        var shown = await CliRunner.RunAsync(server, "prices", "show", "--meter", TieredMeter, "--market", "US", "--date", "2026-11-15");
        var json = await CliRunner.RunAsync(server, "prices", "show", "--meter", TieredMeter, "--market", "US", "--date", "2026-11-15", "--json");

        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.Contains("Imported 4 row(s) into the US price list of 202611", imported.Output, StringComparison.Ordinal);
        Assert.True(shown.ExitCode == 0, shown.Error);
        Assert.Contains("Unit: 1 GB (block size 1), prices in USD", shown.Output, StringComparison.Ordinal);
        Assert.Contains("Effective: 2018-03-01 00:00:00 to 9999-11-30 23:59:59 UTC", shown.Output, StringComparison.Ordinal);
        var rows = shown.Output.Split('\n').Where(l => l.Contains('│', StringComparison.Ordinal) || l.Contains('|', StringComparison.Ordinal))
            .Select(l => l.Split(['│', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Where(c => c.Length == 4).ToList();
        Assert.Equal(
            [["Tier", "Min units", "Max units", "Unit price (USD)"], ["1", "0", "100", "1"], ["2", "100", "100000", "0.80"], ["3", "100000", "and up", "0.50"]],
            rows);
        Assert.True(json.ExitCode == 0, json.Error);
        using var price = JsonDocument.Parse(json.Output);
        Assert.Equal(3, price.RootElement.GetProperty("tiers").GetArrayLength());
    }

    [Fact]
    public async Task PricesExport_Out_IsByteIdenticalToTheImportedCanonicalFile()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var ct = TestContext.Current.CancellationToken;
        var canonical = new MemoryStream();
        PriceListFile.Write(canonical, PriceListGenerator.Generate(3_000, seed: 11, market: "US", month: new DateOnly(2026, 11, 1)), ct);
        var file = WriteFile("generated.csv", canonical.ToArray());
        var exported = Path.Combine(_directory.FullName, "exported.csv");
        await ImportAsync(server, file, "202611");

        var toFile = await CliRunner.RunAsync(server, "prices", "export", "--market", "US", "--month", "202611", "--out", exported);
        var toStdout = await CliRunner.RunAsync(server, "prices", "export", "--market", "US", "--month", "202611");

        Assert.True(toFile.ExitCode == 0, toFile.Error);
        Assert.Contains($"Wrote {canonical.Length} bytes to {exported}.", toFile.Output, StringComparison.Ordinal);
        Assert.Equal(canonical.ToArray(), await File.ReadAllBytesAsync(exported, ct));
        Assert.False(File.Exists(exported + ".partial"));
        Assert.True(toStdout.ExitCode == 0, toStdout.Error);
        Assert.Equal(Encoding.UTF8.GetString(canonical.ToArray()), toStdout.Output);
    }

    [Fact]
    public async Task PricesImport_BadFile_ExitsOneNamingRowAndColumn_AndImportsNothing()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var bad = PriceList().Replace("10/1/2020 12:00:00 AM", "31/31/2026 12:00:00 AM", StringComparison.Ordinal);
        var file = WriteFile("bad.csv", bad);

        var (exitCode, output, error) = await CliRunner.RunAsync(server, "prices", "import", file, "--market", "US", "--month", "202611");
        var listed = await CliRunner.RunAsync(server, "prices", "list", "--json");

        Assert.Equal(1, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Contains("The file was not imported", error, StringComparison.Ordinal);
        Assert.Contains("row 5, column EffectiveStartDate: ", error, StringComparison.Ordinal);
        Assert.Contains("(value '31/31/2026 12:00:00 AM')", error, StringComparison.Ordinal);
        Assert.True(listed.ExitCode == 0, listed.Error);
        Assert.Equal("[]", listed.Output.Trim());
    }

    [Fact]
    public async Task PricesImport_ManyProblems_ShowsTheFirstTwentyAndCountsTheRest()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var builder = new StringBuilder(Header);
        for (var i = 0; i < 25; i++)
        {
            builder.Append("Storage,DZH318Z0BQ5S,0006,LRS,Microsoft,,1 GB,payG-1,US,USD,-1,,,10/1/2020 12:00:00 AM,11/30/9999 11:59:59 PM,")
                .Append(Guid.NewGuid()).Append(",1 GB,Azure\r\n");
        }

        var file = WriteFile("negative.csv", builder.ToString());

        var (exitCode, _, error) = await CliRunner.RunAsync(server, "prices", "import", file, "--market", "US", "--month", "202611");

        Assert.Equal(1, exitCode);
        Assert.Contains("row 2, column UnitPrice: ", error, StringComparison.Ordinal);
        Assert.Contains("row 21, column UnitPrice: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("row 22,", error, StringComparison.Ordinal);
        Assert.Contains("… and 5 more", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PricesDiffAndList_AfterTwoMonths_ShowTheChangedPrice()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        await ImportAsync(server, WriteFile("october.csv", PriceList("0.0450")), "202610");
        await ImportAsync(server, WriteFile("november.csv", PriceList("0.0460")), "202611");

        var diff = await CliRunner.RunAsync(server, "prices", "diff", "--market", "US", "--from", "202610", "--to", "202611");
        var json = await CliRunner.RunAsync(server, "prices", "diff", "--market", "US", "--from", "202610", "--to", "202611", "--json");
        var listed = await CliRunner.RunAsync(server, "prices", "list", "--market", "US");

        Assert.True(diff.ExitCode == 0, diff.Error);
        Assert.Contains("Price changed", diff.Output, StringComparison.Ordinal);
        Assert.Contains(FlatMeter, diff.Output, StringComparison.Ordinal);
        Assert.Contains("0.0450", diff.Output, StringComparison.Ordinal);
        Assert.Contains("0.0460", diff.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(TieredMeter, diff.Output, StringComparison.Ordinal);
        Assert.Contains("1 change(s)", diff.Output, StringComparison.Ordinal);
        using var changes = JsonDocument.Parse(json.Output);
        var change = Assert.Single(changes.RootElement.EnumerateArray());
        Assert.Equal("PriceChanged", change.GetProperty("kind").GetString());
        Assert.Equal(0.0460m, change.GetProperty("current")[0].GetProperty("unitPrice").GetDecimal());
        Assert.True(listed.ExitCode == 0, listed.Error);
        Assert.Contains("202611", listed.Output, StringComparison.Ordinal);
        Assert.Contains("202610", listed.Output, StringComparison.Ordinal);
        Assert.Contains("2 price list(s).", listed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PricesShow_MonthNotImported_ExitsOneWithTheServersReason()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);

        var (exitCode, _, error) = await CliRunner.RunAsync(server, "prices", "show", "--meter", TieredMeter, "--market", "US", "--date", "2026-12-01");

        Assert.Equal(1, exitCode);
        Assert.Contains("No price list is imported for market US and month 202612", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FxImportRateAndExport_RoundTrip()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var ct = TestContext.Current.CancellationToken;
        const string fx = "\"CurrencyCode\",\"USDPerUnit\",\"Month\"\r\n\"EUR\",\"1.25\",\"202611\"\r\n\"GBP\",\"1.3\",\"202611\"\r\n";
        var file = WriteFile("fx.csv", fx);
        var exported = Path.Combine(_directory.FullName, "fx-exported.csv");

        var imported = await CliRunner.RunAsync(server, "fx", "import", file);
        var rate = await CliRunner.RunAsync(server, "fx", "rate", "--currency", "EUR", "--month", "202611");
        var toFile = await CliRunner.RunAsync(server, "fx", "export", "--month", "202611", "--out", exported);
        var toStdout = await CliRunner.RunAsync(server, "fx", "export", "--month", "202611");
        var missing = await CliRunner.RunAsync(server, "fx", "rate", "--currency", "EUR", "--month", "202612");
        var bad = await CliRunner.RunAsync(server, "fx", "import", WriteFile("fx-bad.csv", "\"CurrencyCode\",\"USDPerUnit\",\"Month\"\r\n\"EUR\",\"-1\",\"202611\"\r\n"));

        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.Contains("Imported 2 rate(s) for 202611.", imported.Output, StringComparison.Ordinal);
        Assert.True(rate.ExitCode == 0, rate.Error);
        Assert.Contains("PCToBCExchangeRate EUR 202611: 0.8", rate.Output, StringComparison.Ordinal);
        Assert.True(toFile.ExitCode == 0, toFile.Error);
        Assert.Equal(fx, await File.ReadAllTextAsync(exported, ct));
        Assert.Equal(fx, toStdout.Output);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("EUR in 202612", missing.Error, StringComparison.Ordinal);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("row 2, column USDPerUnit: ", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PricesImport_ByAPartner_IsRefused()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var partner = new Dictionary<string, string> { ["PAYGO_TOKEN"] = await server.GetTokenAsync(TestUsers.ByEmail("adminagent@fabrikam.example")) };

        var (exitCode, _, error) = await CliRunner.RunAsync(server, partner, "prices", "import", WriteFile("us.csv", PriceList()), "--market", "US", "--month", "202611");

        Assert.Equal(1, exitCode);
        Assert.Contains("Error ", error, StringComparison.Ordinal);
    }
}
