using Microsoft.EntityFrameworkCore;
using Paygo.Core.Pricing;
using Paygo.Rating.Files;
using Paygo.Rating.Pricing;
using Paygo.Testing;

namespace Paygo.Core.Tests;

/// <summary>
/// The price list's bulk writer on each engine, driven by <see cref="PriceListColumns.Table"/>:
/// every file column lands in the <c>PriceRows</c> column the table names, with its value, so a
/// shifted ordinal in the table, the engine's SQL or the EF mapping fails here.
/// </summary>
public sealed class PriceRowBulkWriterTests
{
    // The columns that are not file columns: the list and the spreadsheet row.
    private static readonly string[] KeyColumns = ["PriceListId", "RowNumber"];

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task PriceRowsTable_HasTheColumnEveryFileColumnIsStoredAs(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var db = database.CreateContext();
        var entity = db.Model.FindEntityType(typeof(StoredPriceRow))!;
        var table = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table("PriceRows");
        var stored = entity.GetProperties().ToDictionary(p => p.GetColumnName(table)!, p => p.ClrType);

        foreach (var column in PriceListColumns.Table.Columns)
        {
            Assert.True(stored.TryGetValue(column.StoredAs, out var type), $"PriceRows has no column {column.StoredAs} for {column.Name}");
            var expected = column.Kind switch
            {
                CellKind.Text => typeof(string),
                CellKind.Number => column.Required ? typeof(decimal) : typeof(decimal?),
                _ => typeof(DateTime),
            };
            Assert.Equal((column.Name, expected), (column.Name, type));
        }

        // Nothing else is stored: a new file column without a database column (or the reverse) fails here.
        Assert.Equal(
            KeyColumns.Concat(PriceListColumns.Table.Columns.Select(c => c.StoredAs)).Order(StringComparer.Ordinal),
            stored.Keys.Order(StringComparer.Ordinal));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task InsertAsync_StoresEveryCellWhereTheTableSays(string engine)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var db = database.CreateContext();
        var list = new StoredPriceList { Id = Guid.NewGuid(), Market = "US", Month = 202611, RowCount = 2, Sha256 = "00", ImportedAt = DateTimeOffset.UnixEpoch };
        PriceListRow[] rows =
        [
            // Every text different, so a value in the wrong column cannot compare equal.
            new("Title", "DZH318Z0BQ4L", "0096", "D2s v5", "Microsoft", "Desc, with comma", UnitOfMeasure.Parse("1 Hour"), "payG-1", "US", Rating.Money.CurrencyCode.Usd,
                0.0960m, 0m, 100m, new DateTime(2018, 3, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(9999, 11, 30, 23, 59, 59, DateTimeKind.Utc),
                "8e669c01-98fc-5288-987d-ea548f352fa6", "1 Compute Hour", "Azure,Consumption"),
            new("Title 2", "DZH318Z0BQ4M", "0097", "D4s v5", "Contoso", string.Empty, UnitOfMeasure.Parse("10K /Month"), string.Empty, "US", Rating.Money.CurrencyCode.Usd,
                12.5m, null, null, new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 11, 30, 23, 59, 59, DateTimeKind.Utc),
                "24a8b99d-b7df-543e-a3c0-3fca0b2b7a3e", string.Empty, "ThirdParty"),
        ];

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.PriceLists.Add(list);
            await db.SaveChangesAsync(cancellationToken);
            await database.Storage.Engine.Feature<IPriceRowBulkWriter>().InsertAsync(db, list.Id, rows, null, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
        var stored = await db.PriceRows.Where(r => r.PriceListId == list.Id).OrderBy(r => r.RowNumber).ToListAsync(cancellationToken);
        Assert.Equal([2, 3], stored.Select(r => r.RowNumber));
        for (var i = 0; i < rows.Length; i++)
        {
            var entry = db.Entry(stored[i]);
            foreach (var column in PriceListColumns.Table.Columns)
            {
                var property = entry.Properties.Single(p => p.Metadata.GetColumnName() == column.StoredAs);
                object? expected = column.Kind switch
                {
                    CellKind.Text => column.TextOf(rows[i]),
                    CellKind.Number => column.NumberOf(rows[i]),
                    _ => column.DateOf(rows[i]),
                };
                Assert.Equal((column.Name, expected), (column.Name, property.CurrentValue));
            }
        }
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AFeatureTheEngineLacks_IsNamed(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);

        var refused = Assert.Throws<NotSupportedException>(() => database.Storage.Engine.Feature<IDisposable>());

        Assert.Contains(nameof(IDisposable), refused.Message, StringComparison.Ordinal);
    }
}
