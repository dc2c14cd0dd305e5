using System.Diagnostics;
using System.Text;
using Paygo.Rating.Files;
using Paygo.Rating.Pricing;

namespace Paygo.Rating.Tests.Pricing;

/// <summary>
/// Whole files at the sizes partners import. Timings are printed for the record, not asserted
/// (PROMISES.md: budgets are held by the benchmark harness, not by timed unit tests).
/// </summary>
public sealed class LargePriceListTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("paygo-pricelist-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Read_MillionRowsWithOneBadDateAtRow50000_ReportsExactlyThatProblem()
    {
        var path = Path.Combine(_directory, "million.csv");
        using (var file = File.Create(path))
        {
            PriceListFile.Write(file, PriceListGenerator.Generate(1_000_000, seed: 7), TestContext.Current.CancellationToken);
        }

        // Spreadsheet row 50,000 is the 49,999th data row; its start date becomes 2/30 (no such day).
        BreakStartDate(path, row: 50_000);

        var clock = Stopwatch.StartNew();
        FileReadResult<PriceList> result;
        using (var file = File.OpenRead(path))
        {
            result = PriceListFile.Read(file, TestContext.Current.CancellationToken);
        }

        clock.Stop();
        output.WriteLine($"1,000,000 rows ({new FileInfo(path).Length / 1_000_000.0:F1} MB): parsed and validated in {clock.Elapsed.TotalSeconds:F2} s");
        Assert.False(result.Succeeded);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(1, result.ProblemCount);
        Assert.Equal(50_000, problem.Row);
        Assert.Equal(PriceListColumns.EffectiveStartDate, problem.Column);
        Assert.StartsWith("2/30/", problem.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HundredMegabyteFile_StreamsEveryRow()
    {
        var path = Path.Combine(_directory, "hundred-mb.csv");
        var rows = 0;
        using (var file = File.Create(path))
        using (var writer = PriceListFile.CreateWriter(file))
        {
            // Rows until the file passes 100 MiB, so the size holds whatever the average row length.
            foreach (var row in PriceListGenerator.Generate(int.MaxValue, seed: 3))
            {
                writer.Write(row);
                rows++;
                if (rows % 1000 == 0 && row.PricingTierRangeMax is null or PriceListRow.OpenEndedTierMax)
                {
                    writer.Flush();
                    if (file.Length >= 100L * 1024 * 1024)
                    {
                        break;
                    }
                }
            }
        }

        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        FileReadResult<PriceList> result;
        using (var file = File.OpenRead(path))
        {
            result = PriceListFile.Read(file, TestContext.Current.CancellationToken);
        }

        clock.Stop();
        var length = new FileInfo(path).Length;
        output.WriteLine($"{rows:N0} rows, {length / 1024.0 / 1024.0:F1} MiB: parsed and validated in {clock.Elapsed.TotalSeconds:F2} s, " +
            $"{(GC.GetTotalMemory(forceFullCollection: true) - memoryBefore) / 1024.0 / 1024.0:F0} MiB held by the list");
        Assert.True(length >= 100L * 1024 * 1024);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Problems));
        Assert.Equal(rows, result.Value.Rows.Count);
    }

    // Rewrites the first "M/d/yyyy" of the row's EffectiveStartDate in place as 2/30/yyyy (same length or shorter, padded).
    private static void BreakStartDate(string path, int row)
    {
        var bytes = File.ReadAllBytes(path);
        var lineStart = 0;
        for (var line = 1; line < row; line++)
        {
            lineStart = Array.IndexOf(bytes, (byte)'\n', lineStart) + 1;
        }

        var lineEnd = Array.IndexOf(bytes, (byte)'\n', lineStart);
        var text = Encoding.UTF8.GetString(bytes, lineStart, lineEnd - lineStart);
        var fields = text.Split(',');
        // The generator quotes only Tags and some descriptions; find the start date by its shape.
        var index = Array.FindIndex(fields, f => f.EndsWith(" AM", StringComparison.Ordinal) || f.EndsWith(" PM", StringComparison.Ordinal));
        var year = fields[index].Split('/')[2];
        fields[index] = $"2/30/{year}";
        var replaced = Encoding.UTF8.GetBytes(string.Join(',', fields));
        using var file = new FileStream(path, FileMode.Create);
        file.Write(bytes, 0, lineStart);
        file.Write(replaced);
        file.Write(bytes, lineEnd, bytes.Length - lineEnd);
    }
}
