using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Demo;
using Paygo.Testing;
using static Paygo.Testing.UsageTestData;

namespace Paygo.Cli.Tests;

/// <summary><c>paygo usage post</c> against a real server, signed in as the demo operator's Global admin.</summary>
public sealed class UsageCliTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("paygo-cli-usage-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string WriteFile(string name, string text)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task UsagePost_Csv_InBatches_SummarisesTheAnswers_NamesTheRejections_AndARepostIsAllDuplicates(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        await SeedDemoPricesAsync(server.Database);
        var e = DemoCommerce.TailspinAzureSubscriptionId;
        var file = WriteFile("usage.csv",
            "Id,EntitlementId,ResourceUri,MeterId,UsageDate,Quantity,Location\r\n" +
            $"u-1,{e},{ResourceOf(e)},{Meter},{Today:yyyy-MM-dd},3,uksouth\r\n" +
            $"u-2,{e},\"{ResourceOf(e, "vm,02")}\",{Meter},{Today:yyyy-MM-dd},0.5,\r\n" +
            $"u-3,{e},{ResourceOf(e)},{Meter},{Today:yyyy-MM-dd},-1,uksouth\r\n" +
            $"u-4,{e},{ResourceOf(e)},{UnpricedMeter},{Today:yyyy-MM-dd},1,uksouth\r\n" +
            $"u-5,{e},{ResourceOf(e)},{Meter},{Today:yyyy-MM-dd},2,uksouth\r\n");

        var first = await CliRunner.RunAsync(server, "usage", "post", file, "--batch-size", "2");
        var again = await CliRunner.RunAsync(server, "usage", "post", file, "--batch-size", "2");

        Assert.Equal(1, first.ExitCode);
        Assert.Contains("Posted 5 record(s) from usage.csv in 3 batch(es): 3 accepted, 0 duplicate, 0 conflict, 2 rejected.", first.Output, StringComparison.Ordinal);
        Assert.Contains("record 3 (id 'u-3'): rejected, quantity [990603]", first.Output, StringComparison.Ordinal);
        Assert.Contains("record 4 (id 'u-4'): rejected, meterId [990602]", first.Output, StringComparison.Ordinal);
        Assert.Contains("0 accepted, 3 duplicate, 0 conflict, 2 rejected.", again.Output, StringComparison.Ordinal);
        await using var db = server.CreateDbContext();
        Assert.Equal(["u-1", "u-2", "u-5"], await db.UsageRecords.OrderBy(r => r.RecordId).Select(r => r.RecordId).ToListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task UsagePost_JsonAndNdjson_AllStored_ExitsZero_AndAnotherBodyIsAConflict()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        await SeedDemoPricesAsync(server.Database);
        var json = WriteFile("usage.json", JsonSerializer.Serialize(new[] { Record("j-1"), Record("j-2", DemoCommerce.LitwareAzureSubscriptionId) }));
        var ndjson = WriteFile("usage.ndjson", JsonSerializer.Serialize(Record("j-1", quantity: 4m)) + "\n" + JsonSerializer.Serialize(Record("j-3")) + "\n");

        var fromJson = await CliRunner.RunAsync(server, "usage", "post", json);
        var fromNdjson = await CliRunner.RunAsync(server, "usage", "post", ndjson, "--no-progress");

        Assert.True(fromJson.ExitCode == 0, fromJson.Output + fromJson.Error);
        Assert.Contains("Posted 2 record(s) from usage.json in 1 batch(es): 2 accepted, 0 duplicate, 0 conflict, 0 rejected.", fromJson.Output, StringComparison.Ordinal);
        Assert.Equal(1, fromNdjson.ExitCode);
        Assert.Contains("1 accepted, 0 duplicate, 1 conflict, 0 rejected.", fromNdjson.Output, StringComparison.Ordinal);
        Assert.Contains("record 1 (id 'j-1'): conflict, id [990605]", fromNdjson.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Samples_GbPriceListImports_AndTheUsageSamplesAreAllAccepted_ThenAllDuplicates()
    {
        if (Today > new DateOnly(2027, 2, 28))
        {
            Assert.Skip("samples/usage is dated December 2026, more than 90 days back now: re-date the samples.");
        }

        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var samples = Path.Combine(RepositoryRoot(), "samples", "usage");

        var imported = await CliRunner.RunAsync(server, "prices", "import", Path.Combine(samples, "pricelist-gb-202612.csv"), "--market", "GB", "--month", "202612");
        var csv = await CliRunner.RunAsync(server, "usage", "post", Path.Combine(samples, "usage-2026-12.csv"));
        var json = await CliRunner.RunAsync(server, "usage", "post", Path.Combine(samples, "usage-2026-12.json"));
        var ndjson = await CliRunner.RunAsync(server, "usage", "post", Path.Combine(samples, "usage-2026-12.ndjson"));

        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.True(csv.ExitCode == 0, csv.Output + csv.Error);
        Assert.Contains("4 accepted, 0 duplicate", csv.Output, StringComparison.Ordinal);

        // The same records in the three forms: after the CSV, each other form is all duplicates.
        Assert.Contains("0 accepted, 4 duplicate, 0 conflict, 0 rejected.", json.Output, StringComparison.Ordinal);
        Assert.Contains("0 accepted, 4 duplicate, 0 conflict, 0 rejected.", ndjson.Output, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Paygo.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("No Paygo.slnx above the test's folder.");
    }

    [Fact]
    public async Task UsagePost_UnknownExtension_AsksForFormat()
    {
        var file = WriteFile("usage.txt", "whatever");

        var (exitCode, _, error) = await CliRunner.RunAsync(null, "usage", "post", file, "--server", "http://127.0.0.1:9");

        Assert.Equal(1, exitCode);
        Assert.Contains("--format json, ndjson or csv", error, StringComparison.Ordinal);
    }
}
