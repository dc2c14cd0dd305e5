using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.RatedUsage;
using Paygo.Core.Users;
using Paygo.Rating.Files;
using Paygo.Rating.Pricing;

namespace Paygo.Core.Billing;

/// <summary>The error of a failed export, as Partner Center's billing operation carries it.</summary>
public sealed record BillingOperationError(string Code, string Message);

/// <summary><c>GET /v1/billingoperations/{id}</c> (reference §8.3).</summary>
public sealed record BillingOperationResource(
    string Id, DateTimeOffset CreatedDateTime, DateTimeOffset LastActionDateTime, string Status, string? ResourceLocation, BillingOperationError? Error)
{
    public static string PathOf(Guid id) => "/v1/billingoperations/" + id.ToString("D");
}

/// <summary>One blob of a manifest.</summary>
public sealed record BillingManifestBlob(string Name, long SizeInBytes, int PartitionValue);

/// <summary><c>GET /v1/billingmanifests/{id}</c> (reference §8.3): the blobs of a finished export.</summary>
public sealed record BillingManifestResource(
    string Id,
    string Version,
    string DataFormat,
    DateTimeOffset UtcCreatedDateTime,
    string ETag,
    string PartnerTenantId,
    string RootFolder,
    string RootFolderSAS,
    string PartitionType,
    int BlobCount,
    long SizeInBytes,
    IReadOnlyList<BillingManifestBlob> Blobs)
{
    public static string PathOf(Guid id) => "/v1/billingmanifests/" + id.ToString("D");
}

/// <summary>A blob's bytes, gzip JSON Lines.</summary>
public sealed record BillingBlobContent(byte[] Content, string Name);

/// <summary>Wakes the export worker when an export is asked for.</summary>
public sealed class ExportSignal : RunSignal;

/// <summary>
/// Partner Center's asynchronous reconciliation export (reference §8.3, docs/adr/0043): a request
/// makes a billing operation (202 with <c>Operation-Location</c>), a background worker writes the
/// daily rated usage as gzip JSON Lines blobs of at most <see cref="LinesPerBlob"/> lines, and the
/// operation's <c>resourceLocation</c> leads to the manifest listing them. Paygo serves the blobs
/// itself (under the manifest's <c>rootFolder</c>, with the caller's own credentials) in place of
/// Azure Blob storage. The billed export is the invoice's stored daily rows (the invoice's file in
/// JSON); the unbilled one is the period's rated usage as the unbilled line items give it.
/// </summary>
public sealed class BillingExports(PaygoDbContext db, UnbilledUsage unbilled, IMonthRating rating, ExportSignal signal, TimeProvider clock)
{
    /// <summary>How long an export's operation, manifest and blobs are kept.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    public const int LinesPerBlob = 50_000;

    public const string Full = "full";

    public const string Basic = "basic";

    /// <summary>
    /// The fields of a <c>basic</c> line: who, what, when and how much, enough to reconcile amounts;
    /// <c>full</c> has every field of the daily rated usage line item.
    /// </summary>
    public static readonly IReadOnlyList<string> BasicFields =
    [
        "partnerId", "customerId", "customerName", "invoiceNumber", "subscriptionId", "entitlementId", "usageDate", "meterId", "meterName",
        "productId", "skuId", "unitOfMeasure", "quantity", "unitPrice", "effectiveUnitPrice", "billingPreTaxTotal", "billingCurrency",
        "pricingPreTaxTotal", "pricingCurrency", "pcToBCExchangeRate", "partnerEarnedCreditPercentage", "resourceUri",
    ];

    /// <summary><c>POST /v1/billedusage/invoices/{invoiceId}?fragment=full|basic</c>.</summary>
    public async Task<Result<BillingOperationResource>> StartBilledAsync(Caller caller, string invoiceId, string? fragment, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.InvoicesRead);
        if (FragmentOf(fragment) is not { } parsed)
        {
            return FragmentError(fragment);
        }

        var number = (invoiceId ?? string.Empty).Trim().ToUpperInvariant();
        var invoice = await db.Set<Invoice>().AsNoTracking()
            .Where(i => i.IsClosed && i.Number == number && (caller.PartnerId == null || i.PartnerId == caller.PartnerId))
            .Select(i => new { i.PartnerId, i.Currency }).SingleOrDefaultAsync(cancellationToken);
        if (invoice is null)
        {
            return ApiError.NotFound($"There is no invoice '{ErrorText.Quote(invoiceId)}'.");
        }

        return await CreateAsync(new BillingExport
        {
            Kind = BillingExportKinds.Billed, Fragment = parsed, PartnerId = invoice.PartnerId, InvoiceNumber = number, Currency = invoice.Currency,
        }, cancellationToken);
    }

    /// <summary><c>POST /v1/unbilledusage?fragment=full|basic&amp;period=current|last&amp;currencyCode=..</c> (the operator adds <c>partnerId</c>).</summary>
    public async Task<Result<BillingOperationResource>> StartUnbilledAsync(
        Caller caller, string? fragment, string? period, string? currencyCode, string? partnerId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.UsageRead);
        if (FragmentOf(fragment) is not { } parsed)
        {
            return FragmentError(fragment);
        }

        // Partner Center's v2 says "last" where v1 said "previous"; both are understood.
        var periodText = period?.Trim().ToLowerInvariant() == "last" ? "previous" : period;
        if (unbilled.ParsePeriod(periodText, out var month) is not null)
        {
            return ApiError.InvalidField("period", $"The parameter 'period' must be current or last; '{ErrorText.Quote(period)}' is not.");
        }

        if (string.IsNullOrWhiteSpace(currencyCode))
        {
            return ApiError.InvalidField("currencyCode", "The parameter 'currencyCode' is required: the partner's billing currency, such as USD.");
        }

        var (partner, partnerError) = await unbilled.PartnerOfAsync(caller, partnerId, cancellationToken);
        if (partnerError is not null)
        {
            return partnerError;
        }

        var currency = await db.Partners.AsNoTracking().Where(p => p.Id == partner).Select(p => p.BillingCurrency).SingleAsync(cancellationToken);
        if (!string.Equals(currencyCode.Trim(), currency, StringComparison.OrdinalIgnoreCase))
        {
            return ApiError.InvalidField("currencyCode", $"The parameter 'currencyCode' must be the partner's billing currency {currency}; '{ErrorText.Quote(currencyCode)}' is not.");
        }

        return await CreateAsync(new BillingExport
        {
            Kind = BillingExportKinds.Unbilled, Fragment = parsed, PartnerId = partner, Month = month.ToString(), Currency = currency,
        }, cancellationToken);
    }

    public async Task<Result<BillingOperationResource>> OperationAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        var (export, error) = await FindAsync(caller, e => e.Id == id, $"There is no billing operation {id}.", cancellationToken);
        return export is null ? error! : Resource(export);
    }

    public async Task<Result<BillingManifestResource>> ManifestAsync(Caller caller, Guid manifestId, CancellationToken cancellationToken)
    {
        var (export, error) = await FindAsync(caller, e => e.ManifestId == manifestId, $"There is no billing manifest {manifestId}.", cancellationToken);
        if (export is null)
        {
            return error!;
        }

        var blobs = await db.Set<BillingExportBlob>().AsNoTracking().Where(b => b.ManifestId == manifestId).OrderBy(b => b.PartitionValue)
            .Select(b => new BillingManifestBlob(b.Name, b.SizeInBytes, b.PartitionValue)).ToListAsync(cancellationToken);
        return new BillingManifestResource(manifestId.ToString("D"), "1", "compressedJSONLines", export.LastActionAt, export.ETag ?? string.Empty,
            export.PartnerId.ToString("D"), BillingManifestResource.PathOf(manifestId) + "/blobs", string.Empty, "ItemCount", export.BlobCount, export.SizeInBytes, blobs);
    }

    public async Task<Result<BillingBlobContent>> BlobAsync(Caller caller, Guid manifestId, string name, CancellationToken cancellationToken)
    {
        var (export, error) = await FindAsync(caller, e => e.ManifestId == manifestId, $"There is no billing manifest {manifestId}.", cancellationToken);
        if (export is null)
        {
            return error!;
        }

        var content = await db.Set<BillingExportBlob>().AsNoTracking().Where(b => b.ManifestId == manifestId && b.Name == name).Select(b => b.Content).SingleOrDefaultAsync(cancellationToken);
        return content is null ? ApiError.NotFound($"The manifest {manifestId} has no blob '{ErrorText.Quote(name)}'.") : new BillingBlobContent(content, name);
    }

    /// <summary>The exports a worker has to (re)start: not started, or running when the process stopped.</summary>
    public async Task<IReadOnlyList<Guid>> PendingAsync(CancellationToken cancellationToken) =>
        await db.Set<BillingExport>().Where(e => e.Status == CloseStatus.NotStarted || e.Status == CloseStatus.Running)
            .OrderBy(e => e.CreatedAt).Select(e => e.Id).ToListAsync(cancellationToken);

    /// <summary>Runs an export to its end (the worker's job); an export already finished is left as it is.</summary>
    public async Task RunAsync(Guid id, CancellationToken cancellationToken)
    {
        var export = await db.Set<BillingExport>().SingleOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (export is null || export.Status is CloseStatus.Succeeded or CloseStatus.Failed)
        {
            return;
        }

        export.Status = CloseStatus.Running;
        export.LastActionAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            var lines = export.Kind == BillingExportKinds.Billed ? BilledLinesAsync(export, cancellationToken) : UnbilledLinesAsync(export, cancellationToken);
            await WriteBlobsAsync(export, lines, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            db.ChangeTracker.Clear();
            var failed = await db.Set<BillingExport>().SingleAsync(x => x.Id == id, CancellationToken.None);
            failed.Status = CloseStatus.Failed;
            failed.ErrorCode = BillingCodes.ExportFailed;
            failed.ErrorMessage = ("The export stopped: " + e.Message) is var message && message.Length > 4000 ? message[..4000] : message;
            failed.LastActionAt = clock.GetUtcNow();
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }

        await RemoveExpiredAsync(cancellationToken);
    }

    private async Task<BillingOperationResource> CreateAsync(BillingExport export, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        export.Id = Guid.NewGuid();
        export.CreatedAt = now;
        export.LastActionAt = now;
        export.ExpiresAt = now + Retention;
        db.Add(export);
        await db.SaveChangesAsync(cancellationToken);
        signal.Post(export.Id);
        return Resource(export);
    }

    private async Task<(BillingExport? Export, ApiError? Error)> FindAsync(Caller caller, System.Linq.Expressions.Expression<Func<BillingExport, bool>> which, string missing, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.UsageRead);
        var export = await db.Set<BillingExport>().AsNoTracking().Where(which)
            .Where(e => caller.PartnerId == null || e.PartnerId == caller.PartnerId).SingleOrDefaultAsync(cancellationToken);

        // A billed export needs the invoice role, as asking for it did.
        if (export is null || (export.Kind == BillingExportKinds.Billed && !caller.Allows(ApiOperation.InvoicesRead)))
        {
            return (null, ApiError.NotFound(missing));
        }

        return export.ExpiresAt <= clock.GetUtcNow()
            ? (null, new ApiError(ErrorKind.Gone, BillingCodes.ExportExpired, $"The export {export.Id} expired at {export.ExpiresAt:yyyy-MM-dd HH:mm} UTC; ask for a new one."))
            : (export, null);
    }

    private static BillingOperationResource Resource(BillingExport export) => new(
        export.Id.ToString("D"), export.CreatedAt, export.LastActionAt, export.Status,
        export.ManifestId is { } manifest ? BillingManifestResource.PathOf(manifest) : null,
        export.ErrorCode is { } code ? new BillingOperationError(code.ToString(CultureInfo.InvariantCulture), export.ErrorMessage ?? string.Empty) : null);

    private static string? FragmentOf(string? fragment) => (fragment?.Trim().ToLowerInvariant() ?? Full) switch
    {
        "" or Full => Full,
        Basic => Basic,
        _ => null,
    };

    private static ApiError FragmentError(string? fragment) =>
        ApiError.InvalidField("fragment", $"The parameter 'fragment' must be full or basic; '{ErrorText.Quote(fragment)}' is not.");

    private async IAsyncEnumerable<JsonObject> BilledLinesAsync(BillingExport export, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var invoiceKey = await db.Set<Invoice>().AsNoTracking().Where(i => i.Number == export.InvoiceNumber && i.PartnerId == export.PartnerId).Select(i => i.Key).SingleAsync(cancellationToken);
        await foreach (var cells in StoredInvoiceRows.BilledUsageAsync(db, export.PartnerId, invoiceKey, cancellationToken))
        {
            yield return LineItemJson.Of(DailyRatedUsageFile.Table, export.InvoiceNumber!, cells, "DailyRatedUsageLineItem");
        }
    }

    private async IAsyncEnumerable<JsonObject> UnbilledLinesAsync(BillingExport export, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var month = BillingMonth.Of(DateOnly.ParseExact(export.Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture));
        var rated = await rating.RateAsync(export.PartnerId, month, null, cancellationToken);
        for (var start = 0; start < rated.Lines.Count; start += 5000)
        {
            var page = new List<RatedUsageLine>(Math.Min(5000, rated.Lines.Count - start));
            for (var i = start; i < Math.Min(start + 5000, rated.Lines.Count); i++)
            {
                page.Add(rated.Lines[i]);
            }

            foreach (var item in await unbilled.ToLineItemsAsync(rated, page, cancellationToken))
            {
                yield return JsonSerializer.SerializeToNode(item, JsonSerializerOptions.Web)!.AsObject();
            }
        }
    }

    private async Task WriteBlobsAsync(BillingExport export, IAsyncEnumerable<JsonObject> lines, CancellationToken cancellationToken)
    {
        var manifestId = Guid.NewGuid();
        var blobs = new List<BillingExportBlob>();
        MemoryStream? buffer = null;
        GZipStream? gzip = null;
        long inBlob = 0, total = 0;
        var newline = "\n"u8.ToArray();

        void Seal()
        {
            gzip!.Dispose();
            var content = buffer!.ToArray();
            blobs.Add(new BillingExportBlob
            {
                ManifestId = manifestId, Name = string.Create(CultureInfo.InvariantCulture, $"part-{blobs.Count:D5}.json.gz"), PartitionValue = blobs.Count,
                SizeInBytes = content.Length, LineCount = inBlob, Content = content,
            });
            buffer.Dispose();
            (buffer, gzip, inBlob) = (null, null, 0);
        }

        await foreach (var line in lines.WithCancellation(cancellationToken))
        {
            if (gzip is null)
            {
                buffer = new MemoryStream();
                gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true);
            }

            var item = export.Fragment == Basic ? BasicOf(line) : line;
            gzip.Write(Encoding.UTF8.GetBytes(item.ToJsonString()));
            gzip.Write(newline);
            inBlob++;
            total++;
            if (inBlob == LinesPerBlob)
            {
                Seal();
            }
        }

        if (gzip is not null)
        {
            Seal();
        }

        // The blobs and the finished status in one transaction: an export is never half written.
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.AddRange(blobs);
            export.ManifestId = manifestId;
            export.BlobCount = blobs.Count;
            export.SizeInBytes = blobs.Sum(b => b.SizeInBytes);
            export.LineCount = total;
            export.ETag = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(string.Join(",", blobs.Select(b => Convert.ToHexStringLower(SHA256.HashData(b.Content)))))))[..32];
            export.Status = CloseStatus.Succeeded;
            export.LastActionAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
    }

    private static JsonObject BasicOf(JsonObject full)
    {
        var basic = new JsonObject();
        foreach (var field in BasicFields)
        {
            if (full.TryGetPropertyValue(field, out var value))
            {
                basic[field] = value?.DeepClone();
            }
        }

        return basic;
    }

    /// <summary>Expired exports lose their blobs; the operation row stays, answered 410 Gone.</summary>
    private async Task RemoveExpiredAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var expired = await db.Set<BillingExport>().AsNoTracking().Where(e => e.ExpiresAt <= now && e.ManifestId != null).Select(e => e.ManifestId!.Value).ToListAsync(cancellationToken);
        if (expired.Count > 0)
        {
            await db.Set<BillingExportBlob>().Where(b => expired.Contains(b.ManifestId)).ExecuteDeleteAsync(cancellationToken);
        }
    }
}
