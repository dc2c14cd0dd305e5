using System.Text;
using Paygo.Rating.Pricing;
using static Paygo.Rating.Tests.Pricing.PriceListCsv;

namespace Paygo.Rating.Tests.Pricing;

/// <summary>
/// PROMISES.md S8: damaged files give problems, never an exception, and whatever is accepted
/// writes back to a file that reads the same. Seeded, so a failure replays.
/// </summary>
public sealed class FileFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261128;

    // Bytes that mean something to CSV, numbers, dates and UTF-8.
    private static readonly byte[] Interesting = Encoding.ASCII.GetBytes(",\"\r\n-.0123456789EeKMB/ :APM")
        .Concat(new byte[] { 0xFF, 0xC3, 0xE2, 0x00, 0x09 }).ToArray();

    [Fact]
    public void Read_DamagedPriceLists_GiveProblemsOrARoundTrippableList()
    {
        var row = new SampleRow();
        var original = Encoding.UTF8.GetBytes(File(row.Tier("1", "1", "100"), row.Tier("0.80", "101", Open)))
            .Concat(Write(PriceListGenerator.Generate(12, seed: 3)).SkipWhile(b => b != (byte)'\n').Skip(1))
            .ToArray();
        Assert.True(Read(original).Succeeded);
        var random = new Random(Seed);
        output.WriteLine($"seed {Seed}");

        var accepted = 0;
        for (var i = 0; i < 3_000; i++)
        {
            var damaged = Damage(original, random);

            var result = Read(damaged);

            if (result.Succeeded)
            {
                accepted++;
                var written = Write(result.Value.Rows);
                var again = Read(written);
                Assert.True(again.Succeeded, $"case {i}: {string.Join("; ", again.Problems)}");
                Assert.Equal(written, Write(again.Value.Rows));
            }
            else
            {
                Assert.NotEmpty(result.Problems);
                Assert.All(result.Problems, p => Assert.InRange(p.Row, 1, 1_000));
            }
        }

        output.WriteLine($"{accepted} of 3000 damaged files were still valid");
    }

    [Fact]
    public void Read_DamagedFxFiles_GiveProblemsOrRates()
    {
        var original = Encoding.UTF8.GetBytes("\"CurrencyCode\",\"USDPerUnit\",\"Month\"\r\n\"EUR\",\"1.18175\",\"202611\"\r\n\"JPY\",\"0.0066889632107023\",\"202611\"\r\n");
        var random = new Random(Seed);

        for (var i = 0; i < 2_000; i++)
        {
            using var stream = new MemoryStream(Damage(original, random));

            var result = FxRateFile.Read(stream, TestContext.Current.CancellationToken);

            Assert.True(result.Succeeded || result.Problems.Count > 0);
        }
    }

    [Fact]
    public void TryParse_RandomUnitTexts_NeverThrow()
    {
        var random = new Random(Seed);
        var alphabet = "0123456789 KMB/GBHourDay小时.,()-\u00A0\t";
        for (var i = 0; i < 20_000; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 24)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());

            var parsed = UnitOfMeasure.TryParse(text, out var unit, out var error);

            Assert.True(parsed ? unit.BlockSize >= 1 && unit.Text == text : error!.Length > 0, text);
        }
    }

    private static byte[] Damage(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        for (var edit = random.Next(1, 4); edit > 0; edit--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(3))
            {
                case 0:
                    bytes[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 1:
                    bytes.RemoveAt(at);
                    break;
                default:
                    bytes.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
            }
        }

        return [.. bytes];
    }
}
