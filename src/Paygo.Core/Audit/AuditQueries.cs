using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Users;

namespace Paygo.Core.Audit;

/// <summary>An audit record in Partner Center's <c>AuditRecord</c> shape.</summary>
public sealed record AuditRecordResource(
    Guid Id,
    long Sequence,
    Guid? PartnerId,
    Guid? CustomerId,
    string? UserPrincipalName,
    string? ApplicationId,
    string ResourceType,
    string? ResourceNewValue,
    string OperationType,
    string OperationStatus,
    DateTimeOffset OperationDate,
    string? CorrelationId,
    ResourceAttributes Attributes)
{
    public static AuditRecordResource From(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Id, record.Sequence, record.PartnerId, record.CustomerId, record.UserPrincipalName, record.ApplicationId,
            record.ResourceType, record.ResourceNewValue, record.OperationType, record.OperationStatus, record.OperationDate,
            record.CorrelationId, new ResourceAttributes("AuditRecord"));
    }
}

/// <summary>
/// <c>GET /v1/auditrecords?startDate=&amp;endDate=</c>: a partner reads its own records, the
/// operator reads every record; at most 90 days at a time, oldest first, seek-paged.
/// </summary>
public sealed class AuditQueries(PaygoDbContext db, TimeProvider clock)
{
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(90);

    public async Task<(CollectionPage<AuditRecordResource>? Page, ApiError? Error)> ListAsync(
        Caller caller, string? startDate, string? endDate, int? size, string? continuationToken, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.AuditRead);
        var errors = new List<FieldError>();
        var start = ParseDate(startDate, "startDate", errors, required: true);
        var end = ParseDate(endDate, "endDate", errors, required: false) ?? clock.GetUtcNow();
        if (errors.Count == 0 && start >= end)
        {
            errors.Add(new("endDate", "The field 'endDate' must be after 'startDate'."));
        }
        else if (errors.Count == 0 && end - start > MaxWindow)
        {
            errors.Add(new("endDate", $"At most {MaxWindow.TotalDays} days can be read at a time; narrow 'startDate' to 'endDate'."));
        }

        if (errors.Count > 0)
        {
            return (null, ApiError.InvalidFields(errors));
        }

        if (!SeekPaging.TryGetSize(size, out var pageSize, out var sizeError))
        {
            return (null, sizeError);
        }

        var query = db.AuditRecords.AsNoTracking().Where(r => r.OperationDate >= start!.Value && r.OperationDate < end);
        if (!caller.IsOperator)
        {
            query = query.Where(r => r.PartnerId == caller.PartnerId);
        }

        if (continuationToken is not null)
        {
            // Records of several chains interleave: the seek key is (time, chain, position).
            if (!SeekPaging.TryDecode(continuationToken, 3, out var key)
                || !long.TryParse(key[0], CultureInfo.InvariantCulture, out var ticks) || ticks < 0 || ticks > DateTimeOffset.MaxValue.UtcTicks
                || !long.TryParse(key[2], CultureInfo.InvariantCulture, out var after))
            {
                return (null, SeekPaging.InvalidToken());
            }

            var at = new DateTimeOffset(ticks, TimeSpan.Zero);
            var chain = key[1];
            query = query.Where(r => r.OperationDate > at
                || (r.OperationDate == at && (string.Compare(r.Chain, chain) > 0 || (r.Chain == chain && r.Sequence > after))));
        }

        var records = await query.OrderBy(r => r.OperationDate).ThenBy(r => r.Chain).ThenBy(r => r.Sequence).Take(pageSize + 1).ToListAsync(cancellationToken);
        Link? next = null;
        if (records.Count > pageSize)
        {
            var last = records[pageSize - 1];
            next = SeekPaging.NextLink("/v1/auditrecords", pageSize,
                SeekPaging.Encode(last.OperationDate.UtcTicks.ToString(CultureInfo.InvariantCulture), last.Chain, last.Sequence.ToString(CultureInfo.InvariantCulture)));
            next = next with { Uri = $"{next.Uri}&startDate={Uri.EscapeDataString(startDate!)}&endDate={Uri.EscapeDataString(end.ToString("O", CultureInfo.InvariantCulture))}" };
        }

        return (CollectionPage.Of([.. records.Take(pageSize).Select(AuditRecordResource.From)], next), null);
    }

    private static DateTimeOffset? ParseDate(string? text, string field, List<FieldError> errors, bool required)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors.Add(new(field, $"The query parameter '{field}' is required: a date such as 2026-11-01 or 2026-11-01T00:00:00Z."));
            }

            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }

        errors.Add(new(field, $"The query parameter '{field}' must be an ISO 8601 date; '{ErrorText.Quote(text)}' is not."));
        return null;
    }
}
