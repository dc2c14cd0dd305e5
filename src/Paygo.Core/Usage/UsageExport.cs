using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Common;
using Paygo.Core.Customers;
using Paygo.Core.Identity;
using Paygo.Core.Users;
using Paygo.Rating.Files;
using Paygo.Rating.Pricing;

namespace Paygo.Core.Usage;

/// <summary>
/// <c>GET /v1/usage/export</c> (docs/adr/0035): a month of stored usage as Partner Center's daily
/// rated usage file (55 columns) with the input columns filled and the price columns empty, so a
/// partner can rate its own month outside Paygo (<c>paygo rate</c>) and compare. The caller sees
/// the usage of the customers it may see (the visible-customer check), in a fixed order: customer,
/// Azure plan, Azure subscription, day, meter, record id.
/// </summary>
public sealed class UsageExport(PaygoDbContext db)
{
    private static readonly string[] Filled =
    [
        "PartnerId", "CustomerId", "CustomerCountry", "MPNID", "ResellerMPNID", "SubscriptionId", "UsageDate", "MeterId",
        "ResourceURI", "Quantity", "EntitlementId", "Tags", "AdditionalInfo", "ResourceLocation",
    ];

    private static readonly ColumnTable Table = DailyRatedUsageFile.Table;

    // Dates as Microsoft writes them in its own daily rated usage file.
    private const string MicrosoftDate = "M/d/yyyy h:mm:ss tt";

    /// <summary>Parses the month (yyyy-MM) at the edge; a bad one is Invalid naming <c>month</c>.</summary>
    public static ApiError? ParseMonth(string? text, out BillingMonth month)
    {
        if (BillingMonth.TryParse(text, out month))
        {
            return null;
        }

        return ApiError.InvalidField("month", $"The parameter 'month' must be a month as yyyy-MM, e.g. 2026-11; '{ErrorText.Quote(text)}' is not.");
    }

    /// <summary>The checks before the first byte: the caller's right and, when one is named, a customer it may see.</summary>
    public async Task<ApiError?> CheckAsync(Caller caller, Guid? customerId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.UsageRead);
        return customerId is { } customer && !await CustomerVisibility.IsVisibleAsync(db, caller, customer, cancellationToken)
            ? CustomerVisibility.NotFound(customer)
            : null;
    }

    /// <summary>Writes the file, streaming the rows; call <see cref="CheckAsync"/> first. Returns the rows written.</summary>
    public async Task<long> WriteAsync(Caller caller, BillingMonth month, Guid? customerId, Stream output, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.UsageRead);
        ArgumentNullException.ThrowIfNull(output);
        var first = month.FirstDay;
        var next = first.AddMonths(1);
        var customers = CustomerVisibility.Of(db, caller);
        if (customerId is { } only)
        {
            customers = customers.Where(c => c.Id == only);
        }

        var rows = db.Set<UsageRecord>().AsNoTracking()
            .Where(r => r.UsageDate >= first && r.UsageDate < next)
            .Join(customers, r => r.CustomerId, c => c.Id, (r, c) => new { Record = r, c.Country, c.ResellerPartnerId })
            .Join(db.Partners.AsNoTracking(), x => x.Record.PartnerId, p => p.Id, (x, p) => new { x.Record, x.Country, x.ResellerPartnerId, p.MpnId })
            .GroupJoin(db.Partners.AsNoTracking(), x => x.ResellerPartnerId, p => p.Id, (x, resellers) => new { x, resellers })
            .SelectMany(g => g.resellers.DefaultIfEmpty(), (g, reseller) => new { g.x.Record, g.x.Country, g.x.MpnId, ResellerMpnId = reseller == null ? null : reseller.MpnId })
            .OrderBy(x => x.Record.CustomerId).ThenBy(x => x.Record.SubscriptionId).ThenBy(x => x.Record.EntitlementId)
            .ThenBy(x => x.Record.UsageDate).ThenBy(x => x.Record.MeterId).ThenBy(x => x.Record.RecordId);
        var index = Filled.ToDictionary(name => name, name => Table.Header.ToList().IndexOf(name), StringComparer.Ordinal);
        var cells = new string?[Table.Count];
        long written = 0;
        // Rows are formatted into a buffer and copied to the output asynchronously every few thousand:
        // the CSV writer writes synchronously, which a response body refuses.
        using var buffer = new MemoryStream();
        await using var text = new StreamWriter(buffer, CsvText.Utf8NoBom, 1 << 16, leaveOpen: true);
        var writer = new CsvTableWriter(text, Table);
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var record = row.Record;
            cells[index["PartnerId"]] = record.PartnerId.ToString("D");
            cells[index["CustomerId"]] = record.CustomerId.ToString("D");
            cells[index["CustomerCountry"]] = row.Country;
            cells[index["MPNID"]] = row.MpnId;
            cells[index["ResellerMPNID"]] = row.ResellerMpnId;
            cells[index["SubscriptionId"]] = record.SubscriptionId.ToString("D");
            cells[index["UsageDate"]] = record.UsageDate.ToDateTime(TimeOnly.MinValue).ToString(MicrosoftDate, CultureInfo.InvariantCulture);
            cells[index["MeterId"]] = record.MeterId;
            cells[index["ResourceURI"]] = record.ResourceUri;
            cells[index["Quantity"]] = record.Quantity.ToString(CultureInfo.InvariantCulture);
            cells[index["EntitlementId"]] = record.EntitlementId.ToString("D");
            cells[index["Tags"]] = record.Tags;
            cells[index["AdditionalInfo"]] = record.AdditionalInfo;
            cells[index["ResourceLocation"]] = record.Location;
            writer.WriteCells(cells);
            if (++written % 2000 == 0)
            {
                await CopyAsync(text, buffer, output, cancellationToken);
            }
        }

        await CopyAsync(text, buffer, output, cancellationToken);
        return written;
    }

    private static async Task CopyAsync(StreamWriter text, MemoryStream buffer, Stream output, CancellationToken cancellationToken)
    {
        await text.FlushAsync(cancellationToken);
        await output.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
        buffer.SetLength(0);
    }
}
