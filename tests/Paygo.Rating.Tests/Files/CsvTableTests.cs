using System.Text;
using Paygo.Rating.Files;
using Paygo.Rating.Pricing;

namespace Paygo.Rating.Tests.Files;

/// <summary>The generic reader and writer over a column table: round trips, and problems named by row and column.</summary>
public sealed class CsvTableTests
{
    private const string Entitlement = "11111111-2222-3333-4444-555555555555";
    private const string Meter = "8e669c01-98fc-5288-987d-ea548f352fa6";

    [Fact]
    public void Usage_WrittenAndReadBack_KeepsEveryCell()
    {
        string?[][] rows =
        [
            ["u-1", Entitlement, "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1", Meter, "2026-11-03", "24", "eastus", "env=prod,team=\"a\"", "{\"VMName\":\"vm1\"}"],
            ["u-2", Entitlement, "/subscriptions/x/r2", Meter, "11/4/2026 12:00:00 AM", "0.000000000000000000000000001", string.Empty, string.Empty, "line one\r\nline two"],
        ];
        var text = Write(UsageFile.Table, rows);

        var read = CsvTableReader.Read(new StringReader(text), UsageFile.Table, TestContext.Current.CancellationToken);

        Assert.True(read.Succeeded, string.Join("; ", read.Problems));
        Assert.Equal(rows.Select(r => r.Select(c => c ?? string.Empty)), read.Value.Rows.Select(r => r.Cells));
        Assert.Equal([2, 3], read.Value.Rows.Select(r => r.Row));
        Assert.Equal("24", read.Value.Rows[0]["Quantity"]);
        Assert.Equal(text, Write(UsageFile.Table, read.Value.Rows.Select(r => r.Cells.ToArray<string?>()).ToArray()));
    }

    [Fact]
    public void Usage_WithoutTheOptionalColumns_IsRead()
    {
        var text = $"Id,EntitlementId,ResourceUri,MeterId,UsageDate,Quantity\r\nu-1,{Entitlement},/r,{Meter},2026-11-03,1.5\r\n";

        var read = CsvTableReader.Read(new StringReader(text), UsageFile.Table, TestContext.Current.CancellationToken);

        Assert.True(read.Succeeded, string.Join("; ", read.Problems));
        var row = Assert.Single(read.Value.Rows);
        Assert.Equal(("1.5", string.Empty), (row["Quantity"], row["Location"]));
    }

    [Fact]
    public void Usage_WithAMissingRequiredColumn_NamesIt()
    {
        var text = $"Id,EntitlementId,MeterId,UsageDate,Quantity\r\nu-1,{Entitlement},{Meter},2026-11-03,1\r\n";

        var read = CsvTableReader.Read(new StringReader(text), UsageFile.Table, TestContext.Current.CancellationToken);

        var problem = Assert.Single(read.Problems);
        Assert.Equal((1, "ResourceUri"), (problem.Row, problem.Column));
    }

    [Fact]
    public void Usage_BadCells_AreEachNamedByRowAndColumn()
    {
        var text =
            "Id,EntitlementId,ResourceUri,MeterId,UsageDate,Quantity\r\n" +
            $",not-a-guid,=1+1,{Meter},tomorrow,1.00000000000000000000000000001\r\n" +
            $"u-2,{Entitlement},/r,{Meter},2026-11-03,abc\r\n";

        var read = CsvTableReader.Read(new StringReader(text), UsageFile.Table, TestContext.Current.CancellationToken);

        Assert.False(read.Succeeded);
        Assert.Equal(
            [(2, "Id"), (2, "EntitlementId"), (2, "ResourceUri"), (2, "UsageDate"), (2, "Quantity"), (3, "Quantity")],
            read.Problems.Select(p => (p.Row, p.Column)));
        Assert.Contains("required", read.Problems[0].Reason, StringComparison.Ordinal);
        Assert.Contains("formula", read.Problems[2].Reason, StringComparison.Ordinal);
        Assert.Contains("more digits than Paygo keeps", read.Problems[4].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Access_ChoiceAndIsoInstants_RoundTrip_AndAnUnknownChoiceIsRefused()
    {
        string?[][] rows = [["a-1", "allow", "foreignPrincipal", "p-1", "5123456", "Owner", "/subscriptions/x", "2026-11-01T00:00:00Z", string.Empty]];
        var text = Write(AccessFile.Table, rows);
        var read = CsvTableReader.Read(new StringReader(text), AccessFile.Table, TestContext.Current.CancellationToken);
        Assert.True(read.Succeeded, string.Join("; ", read.Problems));

        var refused = CsvTableReader.Read(new StringReader(text.Replace(",allow,", ",Allow,", StringComparison.Ordinal)), AccessFile.Table, TestContext.Current.CancellationToken);

        var problem = Assert.Single(refused.Problems);
        Assert.Equal((2, "Kind", "Allow"), (problem.Row, problem.Column, problem.Value));
    }

    [Fact]
    public void Header_OutOfOrderOrUnknown_IsRefusedBeforeAnyRow()
    {
        var text = $"EntitlementId,Id,ResourceUri,MeterId,UsageDate,Quantity,Colour\r\n{Entitlement},u-1,/r,{Meter},2026-11-03,1,red\r\n";

        var read = CsvTableReader.Read(new StringReader(text), UsageFile.Table, TestContext.Current.CancellationToken);

        Assert.All(read.Problems, p => Assert.Equal(1, p.Row));
        Assert.Equal(["Id", "Id", "Colour"], read.Problems.Select(p => p.Column));
    }

    [Fact]
    public void TypedWriter_FollowsTheTable_NotTheRecord()
    {
        // A table whose order differs from the record's: the file follows the table.
        var table = new ColumnTable<FxRate>(
            "test",
            [
                Columns<FxRate>.Text("Month", r => r.Month.ToFileText(), type: ColumnType.Month),
                Columns<FxRate>.Number("Rate", r => r.UsdPerUnit),
                Columns<FxRate>.Text("Code", r => r.Currency.Value, type: ColumnType.Currency),
            ]);
        using var text = new StringWriter();
        using (var writer = new CsvTableWriter<FxRate>(text, table))
        {
            writer.Write(new FxRate(Money.CurrencyCode.Usd, 1.0m, new BillingMonth(2026, 11)));
        }

        Assert.Equal("Month,Rate,Code\r\n202611,1.0,USD\r\n", text.ToString());
    }

    [Fact]
    public void AColumn_BelongsToOneTable()
    {
        var column = new FileColumn("A", ColumnType.Text);
        _ = new ColumnTable("one", [column]);

        Assert.Throws<InvalidOperationException>(() => new ColumnTable("two", [column]));
        Assert.Throws<ArgumentException>(() => new ColumnTable("dup", [new FileColumn("B", ColumnType.Text), new FileColumn("B", ColumnType.Number)]));
        Assert.Throws<KeyNotFoundException>(() => PriceListColumns.Table.IndexOf("MeterId"));
    }

    private static string Write(ColumnTable table, string?[][] rows)
    {
        var text = new StringBuilder();
        using (var writer = new CsvTableWriter(new StringWriter(text), table))
        {
            foreach (var row in rows)
            {
                writer.WriteCells(row);
            }
        }

        return text.ToString();
    }
}
