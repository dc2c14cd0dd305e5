using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Audit;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Storage;
using Paygo.Core.Users;

namespace Paygo.Core.Usage;

/// <summary>
/// <c>POST /v1/usage</c> (DOMAIN.md §7): checks each record on its own, answers repeated ids from
/// the store (same content: duplicate; other content: conflict, nothing changed), writes the new
/// ones through the engine's bulk path in one transaction with the batch's audit record, and
/// answers only after the commit. One bad record never costs its neighbours (docs/adr/0032).
/// </summary>
public sealed class UsageIngestion(PaygoDbContext db, StorageSettings storage, AuditTrail audit, TimeProvider clock)
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "M/d/yyyy h:mm:ss tt", "M/d/yyyy"];

    /// <summary>A record that passed its own checks, waiting for the store's answer.</summary>
    private sealed record Candidate(int Index, UsageRecord Record);

    /// <summary>What a record's Azure subscription is, for the caller (null when it may not see it).</summary>
    private sealed record Subscription(Guid Id, Guid PartnerId, Guid CustomerId, Guid PlanId, string Status, DateTimeOffset? CancelledAt, string Country);

    public async Task<UsageBatchResult> PostAsync(Caller caller, IReadOnlyList<UsageInput> inputs, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.UsageWrite);
        ArgumentNullException.ThrowIfNull(inputs);
        var results = new UsageRecordResult?[inputs.Count];
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);

        // 1. Each record's own fields.
        var parsed = new List<(UsageInput Input, Guid Entitlement, Guid Meter, DateOnly Day, decimal Quantity)>(inputs.Count);
        foreach (var input in inputs)
        {
            if (Parse(input, out var entitlement, out var meter, out var day, out var quantity) is { } rejection)
            {
                results[input.Index] = Rejected(input, rejection);
            }
            else
            {
                parsed.Add((input, entitlement, meter, day, quantity));
            }
        }

        // 2. The Azure subscriptions, as the caller may see them: a partner only its own, so another
        // partner's subscription is answered exactly as one that does not exist (PROMISES S2).
        var subscriptions = await SubscriptionsAsync(caller, parsed.Select(p => p.Entitlement).Distinct().ToList(), cancellationToken);
        var keyed = new List<(UsageInput Input, Subscription Subscription, UsageRecord Record, DateOnly Day)>(parsed.Count);
        foreach (var (input, entitlement, meter, day, quantity) in parsed)
        {
            if (!subscriptions.TryGetValue(entitlement, out var subscription))
            {
                results[input.Index] = Rejected(input, new UsageRejection(UsageCodes.UnknownSubscription, "entitlementId",
                    $"The entitlementId {entitlement} is not an Azure subscription known to this caller."));
                continue;
            }

            var id = input.Id!;
            var meterText = meter.ToString("D");
            var location = Empty(input.Location);
            var tags = Empty(input.Tags);
            var info = Empty(input.AdditionalInfo);
            keyed.Add((input, subscription, new UsageRecord
            {
                PartnerId = subscription.PartnerId,
                RecordId = id,
                CustomerId = subscription.CustomerId,
                SubscriptionId = subscription.PlanId,
                EntitlementId = subscription.Id,
                ResourceUri = input.ResourceUri!,
                MeterId = meterText,
                UsageDate = day,
                Quantity = quantity,
                Location = location,
                Tags = tags,
                AdditionalInfo = info,
                ContentHash = UsageRecord.HashOf(id, subscription.Id, input.ResourceUri!, meterText, day, quantity, location, tags, info),
                AcceptedAt = now,
            }, day));
        }

        // 3. Ids stored before are answered from the store before any rule of the day is applied, so
        // a retry of an acked record is a duplicate even after its subscription was cancelled.
        var stored = await StoredHashesAsync(keyed.Select(k => (k.Record.PartnerId, k.Record.RecordId)).Distinct().ToList(), cancellationToken);
        var prices = new PriceCheck(db);
        await prices.LoadAsync(keyed.Where(k => !stored.ContainsKey((k.Record.PartnerId, k.Record.RecordId)))
            .Select(k => (k.Subscription.Country, k.Record.MeterId, k.Day)), cancellationToken);
        var candidates = new List<Candidate>();
        var firstOfKey = new Dictionary<(Guid, string), Candidate>();
        var repeats = new List<Candidate>();
        foreach (var (input, subscription, record, day) in keyed)
        {
            var key = (record.PartnerId, record.RecordId);
            if (stored.TryGetValue(key, out var storedHash))
            {
                results[input.Index] = Answer(input, record.ContentHash, storedHash);
                continue;
            }

            if (firstOfKey.ContainsKey(key))
            {
                // The same id twice in one batch: answered against what the first one became.
                repeats.Add(new Candidate(input.Index, record));
                continue;
            }

            if (RuleOfTheDay(subscription, record, day, today, prices) is { } rejection)
            {
                results[input.Index] = Rejected(input, rejection);
                continue;
            }

            var candidate = new Candidate(input.Index, record);
            firstOfKey[key] = candidate;
            candidates.Add(candidate);
        }

        // 4. The new records in one transaction with the batch's audit record; the answer waits for the commit.
        var storedNow = new Dictionary<(Guid, string), string>();
        if (candidates.Count > 0)
        {
            var strategy = db.Database.CreateExecutionStrategy();
            var answers = await strategy.ExecuteAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var written = await storage.Engine.Feature<IUsageBulkWriter>().InsertNewAsync(db, [.. candidates.Select(c => c.Record)], cancellationToken);
                var accepted = written.Count(w => w is null);
                if (accepted > 0)
                {
                    await audit.AppendAsync(new AuditEntry("post_usage", "usage", AuditEntry.Succeeded, caller.PartnerId,
                        JsonSerializer.Serialize(new { accepted, records = inputs.Count }, PaygoJson.Options)), cancellationToken);
                    await db.SaveChangesAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                return written;
            });
            db.ChangeTracker.Clear();

            for (var i = 0; i < candidates.Count; i++)
            {
                var candidate = candidates[i];
                var input = inputs[candidate.Index];
                var record = candidate.Record;
                storedNow[(record.PartnerId, record.RecordId)] = answers[i] ?? record.ContentHash;
                results[candidate.Index] = answers[i] is null
                    ? new UsageRecordResult(input.Index, input.Id, UsageStatus.Accepted)
                    : Answer(input, record.ContentHash, answers[i]!);
            }
        }

        foreach (var repeat in repeats)
        {
            var input = inputs[repeat.Index];
            var key = (repeat.Record.PartnerId, repeat.Record.RecordId);
            results[repeat.Index] = storedNow.TryGetValue(key, out var hash)
                ? Answer(input, repeat.Record.ContentHash, hash)

                // The first record of that id was rejected by a rule of the day; this one is judged the same way next batch.
                : Rejected(input, new UsageRejection(UsageCodes.IdConflict, "id",
                    $"The id '{ErrorText.Quote(input.Id)}' appears earlier in this batch, and that record was not stored; send this one again on its own."));
        }

        return UsageBatchResult.Of([.. results.Select((r, i) => r ?? throw new InvalidOperationException($"Record {i} got no result."))]);
    }

    private static UsageRecordResult Answer(UsageInput input, string hash, string storedHash) =>
        string.Equals(hash, storedHash, StringComparison.Ordinal)
            ? new UsageRecordResult(input.Index, input.Id, UsageStatus.Duplicate)
            : new UsageRecordResult(input.Index, input.Id, UsageStatus.Conflict, UsageCodes.IdConflict, "id",
                $"A record with the id '{ErrorText.Quote(input.Id)}' is stored already with other content; nothing was changed.");

    private static UsageRecordResult Rejected(UsageInput input, UsageRejection rejection) =>
        new(input.Index, input.Id, UsageStatus.Rejected, rejection.Code, rejection.Field, rejection.Description);

    private static string? Empty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    /// <summary>The record's own fields (DOMAIN.md §7's shape), each problem naming its field.</summary>
    private static UsageRejection? Parse(UsageInput input, out Guid entitlement, out Guid meter, out DateOnly day, out decimal quantity)
    {
        entitlement = default;
        meter = default;
        day = default;
        quantity = default;
        if (input.Unreadable is { } unreadable)
        {
            return unreadable;
        }

        if (string.IsNullOrWhiteSpace(input.Id))
        {
            return Invalid("id", "The field 'id' is required: the record's idempotency key.");
        }

        if (input.Id.Length > UsageLimits.MaxIdLength || input.Id.AsSpan().ContainsAnyInRange('\0', '\x1f'))
        {
            return Invalid("id", $"The field 'id' must be 1 to {UsageLimits.MaxIdLength} characters without control characters.");
        }

        if (!Guid.TryParse(input.EntitlementId?.Trim(), out entitlement))
        {
            return Invalid("entitlementId", $"The field 'entitlementId' must be the Azure subscription's id (a GUID); '{ErrorText.Quote(input.EntitlementId)}' is not.");
        }

        if (string.IsNullOrWhiteSpace(input.ResourceUri) || input.ResourceUri.Length > UsageLimits.MaxResourceUriLength)
        {
            return Invalid("resourceUri", $"The field 'resourceUri' is required: the resource's ARM id, at most {UsageLimits.MaxResourceUriLength} characters.");
        }

        if (!Guid.TryParse(input.MeterId?.Trim(), out meter))
        {
            return Invalid("meterId", $"The field 'meterId' must be a meter id (a GUID) of the price list; '{ErrorText.Quote(input.MeterId)}' is not.");
        }

        if (!TryParseDay(input.UsageDate, out day))
        {
            return Invalid("usageDate", $"The field 'usageDate' must be a day as yyyy-MM-dd; '{ErrorText.Quote(input.UsageDate)}' is not.");
        }

        if (!decimal.TryParse(input.Quantity?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out quantity))
        {
            return new UsageRejection(UsageCodes.BadQuantity, "quantity", $"The field 'quantity' must be a number; '{ErrorText.Quote(input.Quantity)}' is not (or it is too large).");
        }

        if (quantity < 0)
        {
            return new UsageRejection(UsageCodes.BadQuantity, "quantity", $"The field 'quantity' must not be negative; it is {quantity.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (SignificantDigits(quantity) > UsageLimits.MaxQuantityDigits)
        {
            return new UsageRejection(UsageCodes.BadQuantity, "quantity",
                $"The field 'quantity' has more than {UsageLimits.MaxQuantityDigits} significant digits ({quantity.ToString(CultureInfo.InvariantCulture)}).");
        }

        if (input.Location is { Length: > UsageLimits.MaxLocationLength })
        {
            return Invalid("location", $"The field 'location' is at most {UsageLimits.MaxLocationLength} characters.");
        }

        if (input.Tags is { Length: > UsageLimits.MaxTagsLength })
        {
            return Invalid("tags", $"The field 'tags' is at most {UsageLimits.MaxTagsLength} characters.");
        }

        if (input.AdditionalInfo is { Length: > UsageLimits.MaxAdditionalInfoLength })
        {
            return Invalid("additionalInfo", $"The field 'additionalInfo' is at most {UsageLimits.MaxAdditionalInfoLength} characters.");
        }

        return null;
    }

    private static UsageRejection Invalid(string field, string description) => new(UsageCodes.InvalidField, field, description);

    /// <summary>A day as yyyy-MM-dd, Partner Center's M/d/yyyy h:mm:ss tt, or an ISO 8601 instant (its UTC day).</summary>
    public static bool TryParseDay(string? text, out DateOnly day)
    {
        day = default;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return false;
        }

        if (DateTime.TryParseExact(trimmed, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            day = DateOnly.FromDateTime(date);
            return true;
        }

        if (trimmed.Length > 10 && trimmed[4] == '-' && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            day = DateOnly.FromDateTime(instant.UtcDateTime);
            return true;
        }

        return false;
    }

    /// <summary>Digits from the first non-zero one to the last non-zero decimal: 0.00120 has 2, 1200 has 4, 12.5 has 3.</summary>
    private static int SignificantDigits(decimal value)
    {
        var text = (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture).TrimStart('-');
        var digits = text.Replace(".", string.Empty, StringComparison.Ordinal).TrimStart('0');
        return text.Contains('.', StringComparison.Ordinal) ? digits.Length : digits.TrimEnd('0').Length;
    }

    /// <summary>The rules that depend on the day: the subscription active then, the resource under it, the date window, a price.</summary>
    private static UsageRejection? RuleOfTheDay(Subscription subscription, UsageRecord record, DateOnly day, DateOnly today, PriceCheck prices)
    {
        // A cancelled subscription takes usage up to its cancellation day (late usage of its last days), none after it.
        if (subscription.CancelledAt is { } cancelledAt)
        {
            var lastDay = DateOnly.FromDateTime(cancelledAt.UtcDateTime);
            if (day > lastDay)
            {
                return new UsageRejection(UsageCodes.InactiveSubscription, "usageDate",
                    $"The usageDate {day:yyyy-MM-dd} is after {lastDay:yyyy-MM-dd}, the day the Azure subscription {subscription.Id} was cancelled; it takes no usage dated later.");
            }
        }
        else if (!string.Equals(subscription.Status, "active", StringComparison.OrdinalIgnoreCase))
        {
            return new UsageRejection(UsageCodes.InactiveSubscription, "entitlementId",
                $"The entitlementId {subscription.Id} is an Azure subscription that is {subscription.Status}, not active; it takes no usage.");
        }

        if (!IsUnder(record.ResourceUri, subscription.Id))
        {
            return new UsageRejection(UsageCodes.ResourceNotInSubscription, "resourceUri",
                $"The resourceUri '{ErrorText.Quote(record.ResourceUri)}' is not under the Azure subscription {subscription.Id} (an ARM id /subscriptions/{subscription.Id}/resourceGroups/…).");
        }

        if (day > today)
        {
            return new UsageRejection(UsageCodes.DateOutOfRange, "usageDate", $"The usageDate {day:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd} UTC).");
        }

        if (day < today.AddDays(-UsageLimits.MaxDaysBack))
        {
            return new UsageRejection(UsageCodes.DateOutOfRange, "usageDate",
                $"The usageDate {day:yyyy-MM-dd} is more than {UsageLimits.MaxDaysBack} days back (the earliest accepted is {today.AddDays(-UsageLimits.MaxDaysBack):yyyy-MM-dd}).");
        }

        if (!prices.HasPrice(subscription.Country, record.MeterId, day))
        {
            return new UsageRejection(UsageCodes.NoPrice, "meterId",
                $"The meterId {record.MeterId} has no price on {day:yyyy-MM-dd} in the {subscription.Country} price list.");
        }

        return null;
    }

    /// <summary>ARM ids compare case-insensitively (DOMAIN.md §4): <c>/subscriptions/{id}/</c> and something under it.</summary>
    private static bool IsUnder(string resourceUri, Guid subscriptionId)
    {
        var prefix = $"/subscriptions/{subscriptionId:D}/";
        return resourceUri.Length > prefix.Length && resourceUri.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<Dictionary<Guid, Subscription>> SubscriptionsAsync(Caller caller, List<Guid> ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<Guid, Subscription>();
        foreach (var chunk in ids.Chunk(500))
        {
            // One array parameter, not one per id (EF Core 10's default): SQLite looks each named
            // parameter up by a linear scan, so 500 of them cost a quadratic number of comparisons.
            var query = db.AzureEntitlements.AsNoTracking().Where(e => EF.Parameter(chunk).Contains(e.Id));
            if (!caller.IsOperator)
            {
                query = query.Where(e => e.PartnerId == caller.PartnerId);
            }

            var rows = await query
                .Join(db.Customers.AsNoTracking(), e => e.CustomerId, c => c.Id, (e, c) => new { e.Id, e.PartnerId, e.CustomerId, e.SubscriptionId, e.Status, e.CancelledAt, c.Country, Owner = c.PartnerId })
                .ToListAsync(cancellationToken);
            foreach (var row in rows.Where(r => r.Owner == r.PartnerId))
            {
                found[row.Id] = new Subscription(row.Id, row.PartnerId, row.CustomerId, row.SubscriptionId, row.Status, row.CancelledAt, row.Country);
            }
        }

        return found;
    }

    private async Task<Dictionary<(Guid, string), string>> StoredHashesAsync(List<(Guid PartnerId, string RecordId)> keys, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<(Guid, string), string>();
        foreach (var partner in keys.GroupBy(k => k.PartnerId))
        {
            foreach (var chunk in partner.Select(k => k.RecordId).Chunk(500))
            {
                var rows = await db.Set<UsageRecord>().AsNoTracking()
                    .Where(r => r.PartnerId == partner.Key && EF.Parameter(chunk).Contains(r.RecordId))
                    .Select(r => new { r.RecordId, r.ContentHash })
                    .ToListAsync(cancellationToken);
                foreach (var row in rows)
                {
                    stored[(partner.Key, row.RecordId)] = row.ContentHash;
                }
            }
        }

        return stored;
    }

    /// <summary>
    /// "Has this meter a price on that day in that market": the batch's meters of each market and
    /// month are read in one query (the list's meter index serves it), then answered from memory.
    /// </summary>
    private sealed class PriceCheck(PaygoDbContext db)
    {
        private readonly Dictionary<(string Market, int Month, string Meter), List<(DateTime Start, DateTime End)>> _ranges = [];

        private static int MonthOf(DateOnly day) => (day.Year * 100) + day.Month;

        public async Task LoadAsync(IEnumerable<(string Market, string MeterId, DateOnly Day)> wanted, CancellationToken cancellationToken)
        {
            foreach (var group in wanted.GroupBy(w => (w.Market, Month: MonthOf(w.Day))))
            {
                var (market, month) = group.Key;
                var list = await db.PriceLists.AsNoTracking().Where(l => l.Market == market && l.Month == month)
                    .Select(l => (Guid?)l.Id).FirstOrDefaultAsync(cancellationToken);
                if (list is null)
                {
                    continue;
                }

                // Files write meter ids in either case; both spellings keep the query on the index.
                var meters = group.Select(w => w.MeterId).Distinct().SelectMany(m => new[] { m, m.ToUpperInvariant() }).ToList();
                foreach (var chunk in meters.Chunk(1000))
                {
                    var rows = await db.PriceRows.AsNoTracking().Where(r => r.PriceListId == list.Value && EF.Parameter(chunk).Contains(r.MeterId))
                        .Select(r => new { r.MeterId, r.EffectiveStart, r.EffectiveEnd }).ToListAsync(cancellationToken);
                    foreach (var row in rows)
                    {
                        var key = (market, month, row.MeterId.ToLowerInvariant());
                        if (!_ranges.TryGetValue(key, out var ranges))
                        {
                            ranges = [];
                            _ranges[key] = ranges;
                        }

                        ranges.Add((row.EffectiveStart, row.EffectiveEnd));
                    }
                }
            }
        }

        public bool HasPrice(string market, string meterId, DateOnly day)
        {
            if (!_ranges.TryGetValue((market, MonthOf(day), meterId), out var ranges))
            {
                return false;
            }

            var start = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            return ranges.Exists(r => r.Start <= start && r.End >= start);
        }
    }
}
