using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using nietras.SeparatedValues;
using Paygo.Rating.Files;
using Paygo.Rating.Money;
using Paygo.Rating.Pricing;
using Paygo.Rating.Rating;

namespace Paygo.Benchmarks;

/// <summary>
/// The rating race of issue 12 point 8 (budget P1): generates a deterministic month (usage as
/// a 55-column daily rated usage file, 5,000 meters of which ~20 % tiered and ~5 % ThirdParty,
/// 2,000 plans, 20,000 Azure subscriptions of which 20 % lose AOBO part-way through the month,
/// EUR billing), then in the same run rates it with <c>paygo rate</c>'s engine and with DuckDB
/// running the same rule as SQL over the same files. Each engine runs in a child process of its
/// own so CPU seconds and peak RSS are its alone. The outputs are compared row by row and in total.
/// </summary>
internal static class RatingHarness
{
    private const int Meters = 5000;
    private const int Plans = 2000;
    private const int SubscriptionsPerPlan = 10;
    private const int MetersPerPlan = 40;
    private const int ResourcesPerSubscription = 5;
    private const int Seed = 20261101;
    private const string Month = "2026-11";
    private const string Partner = "5a4e3b2c-1d0e-4f9a-8b7c-6d5e4f3a2b10";
    private const string Mpn = "1234567";
    private static readonly BillingMonth Billing = new(2026, 11);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static int Run(string[] args)
    {
        var rows = 10_000_000L;
        var dir = Path.Combine(Path.GetTempPath(), "paygo-rating-bench");
        var output = "rating.json";
        var keep = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rows":
                    rows = long.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--dir":
                    dir = args[++i];
                    break;
                case "--out":
                    output = args[++i];
                    break;
                case "--keep":
                    keep = true;
                    break;
                case "--child":
                    return Child(args[i + 1], args[i + 2]);
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; rating [--rows 10000000] [--dir path] [--out rating.json] [--keep]");
                    return 2;
            }
        }

        Directory.CreateDirectory(dir);
        var clock = Stopwatch.StartNew();
        var usageBytes = Generate(dir, rows);
        Console.WriteLine(Invariant($"generated {rows:N0} usage rows ({usageBytes / 1e6:F0} MB) in {clock.Elapsed.TotalSeconds:F1} s in {dir}"));
        try
        {
            var paygo = RunChild("paygo", dir);
            var duck = RunChild("duckdb", dir);
            var check = Compare(Path.Combine(dir, "paygo-daily.csv"), Path.Combine(dir, "duckdb-daily.csv"));
            var ratio = paygo.RowsPerSecond / duck.RowsPerSecond;
            Console.WriteLine(Invariant($"paygo rate : {paygo.RowsPerSecond,12:N0} rows/s  {paygo.WallSeconds,7:F2} s wall  {paygo.CpuSeconds,7:F2} s CPU  peak RSS {paygo.PeakRssBytes / 1048576.0,7:F0} MiB"));
            Console.WriteLine(Invariant($"DuckDB     : {duck.RowsPerSecond,12:N0} rows/s  {duck.WallSeconds,7:F2} s wall  {duck.CpuSeconds,7:F2} s CPU  peak RSS {duck.PeakRssBytes / 1048576.0,7:F0} MiB"));
            Console.WriteLine(Invariant($"ratio {ratio:F2}x; rows {check.Rows:N0}, rows differing {check.DifferingRows:N0}, PEC rows {check.PecRows:N0}"));
            Console.WriteLine(Invariant($"Σ PricingPreTaxTotal paygo {check.PaygoPricing} / DuckDB {check.DuckPricing}; Σ BillingPreTaxTotal paygo {check.PaygoBilling} / DuckDB {check.DuckBilling}; equal to 1e-6: {check.TotalsEqual}"));
            var result = new
            {
                rows,
                usageBytes,
                machine = new { Environment.ProcessorCount, os = Environment.OSVersion.ToString(), note = "shared 2-core machine; other engineers' builds and tests ran at the same time" },
                paygo,
                duckdb = duck,
                ratio,
                check,
                budgets = new { ratioAtLeast2 = ratio >= 2, paygoAtLeast700k = paygo.RowsPerSecond >= 700_000, paygoRssAtMost1GiB = paygo.PeakRssBytes <= 1L << 30 },
            };
            File.WriteAllText(output, JsonSerializer.Serialize(result, Indented));
            Console.WriteLine($"wrote {output}");
            return check.DifferingRows == 0 && check.TotalsEqual ? 0 : 1;
        }
        finally
        {
            if (!keep)
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    internal sealed record EngineRun(string Engine, long Rows, double WallSeconds, double CpuSeconds, long PeakRssBytes, double RowsPerSecond);

    internal sealed record Check(long Rows, long DifferingRows, long PecRows, decimal PaygoPricing, decimal DuckPricing, decimal PaygoBilling, decimal DuckBilling, bool TotalsEqual, string? FirstDifference);

    private static EngineRun RunChild(string engine, string dir)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
        {
            // Started as `dotnet Paygo.Benchmarks.dll`: the child needs the assembly too.
            start.ArgumentList.Add(typeof(RatingHarness).Assembly.Location);
        }

        start.ArgumentList.Add("rating");
        start.ArgumentList.Add("--child");
        start.ArgumentList.Add(engine);
        start.ArgumentList.Add(dir);
        using var child = Process.Start(start)!;
        var json = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"{engine} run failed (exit {child.ExitCode}): {json}");
        }

        return JsonSerializer.Deserialize<EngineRun>(json.Trim().Split('\n')[^1])!;
    }

    private static int Child(string engine, string dir)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var rows = engine == "paygo" ? RatePaygo(dir) : RateDuckDb(dir);
        clock.Stop();
        process.Refresh();
        var used = (process.TotalProcessorTime - cpu).TotalSeconds;
        var run = new EngineRun(engine, rows, clock.Elapsed.TotalSeconds, used, PeakRss(), rows / clock.Elapsed.TotalSeconds);
        Console.WriteLine(JsonSerializer.Serialize(run));
        return 0;
    }

    // VmHWM: the resident set's high-water mark, native memory (DuckDB's) included.
    private static long PeakRss()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return Process.GetCurrentProcess().PeakWorkingSet64;
    }

    /// <summary>Exactly what <c>paygo rate</c> does, end to end: read the price list, access and FX files, two passes, write the daily file.</summary>
    private static long RatePaygo(string dir)
    {
        PriceList prices;
        using (var stream = File.OpenRead(Path.Combine(dir, "prices.csv")))
        {
            prices = PriceListFile.Read(stream).Value ?? throw new InvalidOperationException("the generated price list was refused");
        }

        Paygo.Rating.Access.AccessHistory access;
        using (var stream = File.OpenRead(Path.Combine(dir, "access.csv")))
        {
            var read = AccessFileReader.Read(stream);
            access = read.Value ?? throw new InvalidOperationException("the generated access file was refused: " + string.Join("; ", read.Problems));
        }

        FxRates fx;
        using (var stream = File.OpenRead(Path.Combine(dir, "fx.csv")))
        {
            fx = FxRateFile.Read(stream).Value ?? throw new InvalidOperationException("the generated FX file was refused");
        }

        var eur = CurrencyCode.Parse("EUR");
        var rater = new MonthRater(MonthPrices.For(prices, Billing), access, fx.PcToBcExchangeRate(eur, Billing).PcToBcExchangeRate);
        using var usage = new FileStream(Path.Combine(dir, "usage.csv"), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var result = DailyUsageFileRater.Rate(usage, rater, eur, () => new FileStream(Path.Combine(dir, "paygo-daily.csv"), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16));
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("the generated usage was refused: " + string.Join("; ", result.Problems));
        }

        return result.Totals.Rows;
    }

    /// <summary>
    /// The same rule in DuckDB SQL over the same files: sum each (plan, meter, day), the month to
    /// date by a window, the graduated cost of both ends of the day by a join with the tiers,
    /// PEC by the one AOBO assignment each generated subscription has (covering the whole day, on
    /// a meter not tagged ThirdParty), FX by the rate rounded half-even to 9 decimals. Exact
    /// decimals throughout (DECIMAL(38, n)); only the per-row division by the day's quantity is a
    /// DOUBLE in DuckDB, so rows are compared to 1e-9.
    /// </summary>
    private static long RateDuckDb(string dir)
    {
        string Q(string file) => "'" + Path.Combine(dir, file).Replace("'", "''", StringComparison.Ordinal) + "'";
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        void Execute(string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        Execute("SET threads = 2; SET preserve_insertion_order = true;");
        Execute($"""
            CREATE TEMP TABLE raw_prices AS SELECT * FROM read_csv({Q("prices.csv")}, header = true, all_varchar = true);
            CREATE TEMP TABLE tiers AS
            WITH t AS (
                SELECT MeterIds AS meter, CAST(UnitPrice AS DECIMAL(38, 10)) AS price,
                       CAST(COALESCE(NULLIF(PricingTierRangeMin, ''), '0') AS DECIMAL(38, 10)) AS tmin,
                       contains(Tags, 'ThirdParty') AS excluded
                FROM raw_prices)
            SELECT meter, price, excluded,
                   tmin - CASE WHEN MIN(tmin) OVER (PARTITION BY meter) = 1 THEN 1 ELSE 0 END AS lo,
                   LEAD(tmin) OVER (PARTITION BY meter ORDER BY tmin) - CASE WHEN MIN(tmin) OVER (PARTITION BY meter) = 1 THEN 1 ELSE 0 END AS hi
            FROM t;
            CREATE TEMP TABLE meters AS SELECT meter, bool_or(excluded) AS excluded FROM tiers GROUP BY meter;
            CREATE TEMP TABLE access AS
            SELECT lower(Scope) AS scope, substr(Scope, 16, 36) AS entitlement, PartnerId AS partner,
                   CAST(Start AS TIMESTAMP) AS starts, CAST(NULLIF("End", '') AS TIMESTAMP) AS ends
            FROM read_csv({Q("access.csv")}, header = true, all_varchar = true)
            WHERE Kind = 'allow' AND RoleDefinitionName = 'Owner';
            CREATE TEMP TABLE fx AS
            SELECT CAST(round(CAST(1 AS DECIMAL(38, 20)) / CAST(USDPerUnit AS DECIMAL(38, 20)), 9) AS DECIMAL(38, 9)) AS rate
            FROM read_csv({Q("fx.csv")}, header = true, all_varchar = true) WHERE CurrencyCode = 'EUR' AND Month = '202611';
            CREATE TEMP TABLE usage AS
            SELECT row_number() OVER () AS rn, *, CAST(Quantity AS DECIMAL(38, 10)) AS q, CAST(UsageDate AS DATE) AS d
            FROM read_csv({Q("usage.csv")}, header = true, all_varchar = true);
            CREATE TEMP TABLE days AS
            WITH g AS (SELECT SubscriptionId AS plan, MeterId AS meter, d, SUM(q) AS qd FROM usage GROUP BY ALL),
                 c AS (SELECT *, SUM(qd) OVER (PARTITION BY plan, meter ORDER BY d ROWS UNBOUNDED PRECEDING) AS cd FROM g)
            SELECT c.plan, c.meter, c.d, c.qd,
                   SUM((GREATEST(LEAST(c.cd, COALESCE(t.hi, c.cd)) - t.lo, 0) - GREATEST(LEAST(c.cd - c.qd, COALESCE(t.hi, c.cd - c.qd)) - t.lo, 0)) * t.price) AS dd
            FROM c JOIN tiers t ON t.meter = c.meter
            GROUP BY ALL;
            """);
        Execute($"""
            COPY (
                WITH r AS (
                    SELECT u.*, days.qd, days.dd,
                           (NOT m.excluded AND a.partner = u.MPNID
                            AND a.starts <= CAST(u.d AS TIMESTAMP)
                            AND (a.ends IS NULL OR a.ends >= CAST(u.d AS TIMESTAMP) + INTERVAL 1 DAY)
                            AND starts_with(lower(u.ResourceURI), a.scope || '/')) AS pec
                    FROM usage u
                    JOIN days ON days.plan = u.SubscriptionId AND days.meter = u.MeterId AND days.d = u.d
                    JOIN meters m ON m.meter = u.MeterId
                    LEFT JOIN access a ON a.entitlement = u.EntitlementId),
                p AS (
                    SELECT r.*, CASE WHEN pec THEN 0.85 ELSE 1 END AS f,
                           CASE WHEN q = qd THEN dd * CASE WHEN pec THEN 0.85 ELSE 1 END
                                ELSE q * dd * CASE WHEN pec THEN 0.85 ELSE 1 END / qd END AS pricing
                    FROM r)
                SELECT PartnerId, PartnerName, CustomerId, CustomerName, CustomerDomainName, CustomerCountry, MPNID, ResellerMPNID, InvoiceNumber,
                       ProductId, SkuId, AvailabilityId, SkuName, ProductName, PublisherName, PublisherId, SubscriptionDescription, SubscriptionId,
                       ChargeStartDate, ChargeEndDate, UsageDate, MeterType, MeterCategory, MeterId, MeterSubCategory, MeterName, MeterRegion, Unit,
                       ResourceLocation, ConsumedService, ResourceGroup, ResourceURI, ChargeType,
                       CASE WHEN qd = 0 THEN 0 ELSE dd / qd END AS UnitPrice, Quantity, UnitType,
                       pricing * (SELECT rate FROM fx) AS BillingPreTaxTotal, 'EUR' AS BillingCurrency, pricing AS PricingPreTaxTotal, 'USD' AS PricingCurrency,
                       ServiceInfo1, ServiceInfo2, Tags, AdditionalInfo,
                       CASE WHEN qd = 0 THEN 0 ELSE dd / qd END * f AS EffectiveUnitPrice, (SELECT rate FROM fx) AS PCToBCExchangeRate,
                       '11/1/2026 12:00:00 AM' AS PCToBCExchangeRateDate, EntitlementId, EntitlementDescription,
                       CASE WHEN pec THEN 15 ELSE 0 END AS PartnerEarnedCreditPercentage, CreditPercentage, CreditType, BenefitOrderId, BenefitId, BenefitType
                FROM p ORDER BY rn
            ) TO {Q("duckdb-daily.csv")} (HEADER, DELIMITER ',');
            """);
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM usage";
        return Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static Check Compare(string paygoFile, string duckFile)
    {
        var table = DailyRatedUsageFile.Table;
        var pricing = table.IndexOf("PricingPreTaxTotal");
        var billing = table.IndexOf("BillingPreTaxTotal");
        var pec = table.IndexOf("PartnerEarnedCreditPercentage");
        using var a = Sep.Reader().FromFile(paygoFile);
        using var b = Sep.Reader().FromFile(duckFile);
        long rows = 0, differing = 0, pecRows = 0;
        decimal pa = 0, pb = 0, ba = 0, bb = 0;
        string? first = null;
        while (a.MoveNext())
        {
            if (!b.MoveNext())
            {
                differing++;
                first ??= $"DuckDB's file ends at row {rows + 2}";
                break;
            }

            rows++;
            var ra = a.Current;
            var rb = b.Current;
            var xa = decimal.Parse(ra[pricing].Span, NumberStyles.Float, CultureInfo.InvariantCulture);
            var xb = decimal.Parse(rb[pricing].Span, NumberStyles.Float, CultureInfo.InvariantCulture);
            var ya = decimal.Parse(ra[billing].Span, NumberStyles.Float, CultureInfo.InvariantCulture);
            var yb = decimal.Parse(rb[billing].Span, NumberStyles.Float, CultureInfo.InvariantCulture);
            pa += xa;
            pb += xb;
            ba += ya;
            bb += yb;
            var samePec = ra[pec].Span.SequenceEqual(rb[pec].Span);
            pecRows += ra[pec].Span.SequenceEqual("15") ? 1 : 0;
            if (!samePec || Math.Abs(xa - xb) > 1e-9m || Math.Abs(ya - yb) > 1e-9m)
            {
                differing++;
                first ??= $"row {rows + 1}: paygo {ra[pricing].ToString()} {ra[pec].ToString()} %, DuckDB {rb[pricing].ToString()} {rb[pec].ToString()} %";
            }
        }

        if (b.MoveNext())
        {
            differing++;
            first ??= "DuckDB's file has more rows";
        }

        var equal = Math.Abs(pa - pb) <= 1e-6m && Math.Abs(ba - bb) <= 1e-6m;
        return new Check(rows, differing, pecRows, pa, pb, ba, bb, equal, first);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string MeterId(int m) => Invariant($"{m:x8}-6d65-4000-8000-000000000000");

    private static string PlanId(int p) => Invariant($"{p:x8}-706c-4000-8000-000000000000");

    private static string CustomerId(int p) => Invariant($"{p:x8}-6375-4000-8000-000000000000");

    private static string EntitlementId(int s) => Invariant($"{s:x8}-7375-4000-8000-000000000000");

    /// <summary>Writes prices.csv, access.csv, fx.csv and usage.csv; returns the usage file's size.</summary>
    private static long Generate(string dir, long rows)
    {
        var random = new Random(Seed);
        using (var prices = new StreamWriter(Path.Combine(dir, "prices.csv"), false, CsvText.Utf8NoBom, 1 << 16))
        {
            prices.Write(string.Join(',', PriceListFile.Columns) + "\r\n");
            for (var m = 0; m < Meters; m++)
            {
                var price = (1 + random.Next(20000)) / 10000m;
                var thirdParty = m % 20 == 1;
                var tags = thirdParty ? "\"Azure,Consumption,ThirdParty\"" : "\"Azure,Consumption\"";
                void Row(decimal unitPrice, string min, string max) => prices.Write(Invariant(
                    $"Product {m / 10},DZH318Z0{m:X4},{m % 100:D4},Sku {m},Microsoft,,1 Hour,payG-1,US,USD,{unitPrice},{min},{max},3/1/2018 12:00:00 AM,11/30/9999 11:59:59 PM,{MeterId(m)},1 Hour,{tags}\r\n"));
                if (m % 5 == 0)
                {
                    // 20 % tiered, half 1-based and half 0-based.
                    if (m % 10 == 0)
                    {
                        Row(price, "1", "100");
                        Row(price * 0.8m, "101", "10000");
                        Row(price * 0.5m, "10001", "9223372036854780000");
                    }
                    else
                    {
                        Row(price, "0", "100");
                        Row(price * 0.8m, "100", "10000");
                        Row(price * 0.5m, "10000", "9223372036854780000");
                    }
                }
                else
                {
                    Row(price, string.Empty, string.Empty);
                }
            }
        }

        File.WriteAllText(Path.Combine(dir, "fx.csv"), "\"CurrencyCode\",\"USDPerUnit\",\"Month\"\r\n\"EUR\",\"1.08\",\"202611\"\r\n");
        var subscriptions = Plans * SubscriptionsPerPlan;
        using (var access = new StreamWriter(Path.Combine(dir, "access.csv"), false, CsvText.Utf8NoBom, 1 << 16))
        {
            access.Write("AssignmentId,Kind,PrincipalType,PrincipalId,PartnerId,RoleDefinitionName,Scope,Start,End\r\n");
            for (var s = 0; s < subscriptions; s++)
            {
                // 20 % lose AOBO part-way through the month, at any hour.
                var end = s % 5 == 0 ? new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(random.Next(30 * 24)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : string.Empty;
                access.Write(Invariant($"aobo-{s},allow,foreignPrincipal,fp-adminagents,{Mpn},Owner,/subscriptions/{EntitlementId(s)},2026-01-05T00:00:00Z,{end}\r\n"));
            }
        }

        var planMeters = new int[Plans][];
        for (var p = 0; p < Plans; p++)
        {
            planMeters[p] = new int[MetersPerPlan];
            for (var k = 0; k < MetersPerPlan; k++)
            {
                planMeters[p][k] = random.Next(Meters);
            }
        }

        var path = Path.Combine(dir, "usage.csv");
        using (var usage = new StreamWriter(path, false, CsvText.Utf8NoBom, 1 << 20))
        {
            usage.Write(string.Join(',', DailyRatedUsageFile.Table.Header) + "\r\n");
            var line = new StringBuilder(1024);
            for (long r = 0; r < rows; r++)
            {
                var s = random.Next(subscriptions);
                var p = s / SubscriptionsPerPlan;
                var m = planMeters[p][random.Next(MetersPerPlan)];
                var day = 1 + random.Next(30);
                var res = random.Next(ResourcesPerSubscription);
                var quantity = random.Next(1, 2_400_000) / 10000m;
                var entitlement = EntitlementId(s);
                line.Clear();
                line.Append(CultureInfo.InvariantCulture,
                    $"{Partner},Contoso CSP,{CustomerId(p)},Customer {p},customer{p}.onmicrosoft.com,US,{Mpn},,,DZH318Z0{m:X4},{m % 100:D4},DZH318Z0BPVS,Sku {m},Product {m / 10},Microsoft,,Azure plan,{PlanId(p)},2026-11-01,2026-11-30,2026-11-{day:D2},1 Hour,Category {m % 50},{MeterId(m)},,Meter {m},US East,1 Hour,eastus,Microsoft.Compute,rg-{res},");
                line.Append(CultureInfo.InvariantCulture,
                    $"/subscriptions/{entitlement}/resourceGroups/rg-{res}/providers/Microsoft.Compute/virtualMachines/vm{res},new,,{quantity},1 Hour,,,,,,,,\"{{\"\"UsageType\"\":\"\"ComputeHR\"\"}}\",,,,{entitlement},Subscription {s},,0,Credit Not Applied,,,\r\n");
                usage.Write(line);
            }
        }

        return new FileInfo(path).Length;
    }
}
