using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Audit;

namespace Paygo.Core.Common;

/// <summary>The response of a create, as first served and as replayed: status, JSON body, Location.</summary>
public sealed record StoredResponse(int StatusCode, string Body, string? Location);

/// <summary>
/// A create made ready by a feature: its rows are added to the context but not saved. The audit
/// entry is written in the same transaction, with the response body as the resource's new value.
/// </summary>
public sealed record PreparedCreate(int StatusCode, object Body, string? Location, AuditEntry Audit);

/// <summary>Either the response to serve or the error to serve.</summary>
public sealed record CreateOutcome(StoredResponse? Response, ApiError? Error)
{
    public static implicit operator CreateOutcome(StoredResponse response) => new(response, null);

    public static implicit operator CreateOutcome(ApiError error) => new(null, error);
}

/// <summary>
/// Makes creates idempotent on <c>MS-RequestId</c> for 24 hours (DOMAIN.md §9, PROMISES M2):
/// the created rows and the stored response are saved in one transaction, and the primary key
/// (scope, request id) lets only one of several concurrent identical requests create anything;
/// the others replay its response.
/// </summary>
public sealed class IdempotentCreates(PaygoDbContext db, TimeProvider clock, IDatabaseErrors databaseErrors, AuditTrail audit)
{
    public const string RequestIdHeader = "MS-RequestId";
    public const int MaxRequestIdLength = 100;

    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    /// <summary>
    /// Checks an <c>MS-RequestId</c> header: absent is fine (no idempotency), otherwise 1..100
    /// printable ASCII characters (Partner Center sends a GUID).
    /// </summary>
    public static ApiError? ValidateRequestId(string? requestId)
    {
        if (requestId is null)
        {
            return null;
        }

        if (requestId.Length is 0 or > MaxRequestIdLength || requestId.Any(c => c is < '!' or > '~'))
        {
            return new ApiError(
                400,
                ErrorCodes.InvalidRequestInput,
                $"The header '{RequestIdHeader}' must be 1 to {MaxRequestIdLength} printable ASCII characters, such as a GUID.",
                [new FieldError(RequestIdHeader, "Not a valid request id.")]);
        }

        return null;
    }

    /// <summary>
    /// Runs a create once per (scope, request id). <paramref name="prepare"/> validates and adds
    /// rows; <paramref name="onUniqueViolation"/> explains a clash with an existing row of
    /// another table (two different requests racing for the same key).
    /// </summary>
    public async Task<CreateOutcome> CreateAsync(
        string scope,
        string? requestId,
        string operation,
        object request,
        Func<CancellationToken, Task<(PreparedCreate? Create, ApiError? Error)>> prepare,
        Func<string, ApiError> onUniqueViolation,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        ArgumentNullException.ThrowIfNull(onUniqueViolation);

        var requestHash = Hash(operation, request);
        if (requestId is not null)
        {
            var earlier = await FindAsync(scope, requestId, cancellationToken);
            if (earlier is not null)
            {
                if (earlier.CreatedAt > clock.GetUtcNow() - Window)
                {
                    return Replay(earlier, operation, requestHash);
                }

                db.IdempotencyRecords.Remove(earlier);
            }
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (create, error) = await prepare(cancellationToken);
        if (error is not null)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();

            // A concurrent request with the same id may have committed since the first look, and
            // its rows are why this one conflicts: the retry must get that request's answer.
            return await ReplayIfCommittedAsync(scope, requestId, operation, requestHash, cancellationToken) ?? error;
        }

        if (create is null)
        {
            throw new InvalidOperationException("A create must give either a result or an error.");
        }

        var response = new StoredResponse(
            create.StatusCode,
            JsonSerializer.Serialize(create.Body, create.Body.GetType(), PaygoJson.Options),
            create.Location);

        if (requestId is not null)
        {
            db.IdempotencyRecords.Add(new IdempotencyRecord
            {
                Scope = scope,
                RequestId = requestId,
                Operation = operation,
                RequestHash = requestHash,
                StatusCode = response.StatusCode,
                ResponseBody = response.Body,
                Location = response.Location,
                CreatedAt = clock.GetUtcNow(),
            });
        }

        try
        {
            await audit.AppendAsync(create.Audit with { ResourceNewValue = create.Audit.ResourceNewValue ?? response.Body }, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return response;
        }
        catch (DbUpdateException e) when (databaseErrors.IsUniqueViolation(e, out var table))
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();

            // A concurrent request with the same id won the race: serve its answer.
            return await ReplayIfCommittedAsync(scope, requestId, operation, requestHash, cancellationToken) ?? onUniqueViolation(table);
        }
    }

    private async Task<CreateOutcome?> ReplayIfCommittedAsync(string scope, string? requestId, string operation, string requestHash, CancellationToken cancellationToken)
    {
        if (requestId is null)
        {
            return null;
        }

        var winner = await FindAsync(scope, requestId, cancellationToken);
        return winner is null ? null : Replay(winner, operation, requestHash);
    }

    private Task<IdempotencyRecord?> FindAsync(string scope, string requestId, CancellationToken cancellationToken) =>
        db.IdempotencyRecords.FirstOrDefaultAsync(r => r.Scope == scope && r.RequestId == requestId, cancellationToken);

    private static CreateOutcome Replay(IdempotencyRecord earlier, string operation, string requestHash)
    {
        if (earlier.Operation != operation || earlier.RequestHash != requestHash)
        {
            return new ApiError(
                409,
                ErrorCodes.RequestIdReused,
                $"The {RequestIdHeader} '{earlier.RequestId}' was already used for a different request; send a new {RequestIdHeader} for a new request.",
                [new FieldError(RequestIdHeader, "Already used for a different request.")]);
        }

        return new StoredResponse(earlier.StatusCode, earlier.ResponseBody, earlier.Location);
    }

    private static string Hash(string operation, object request)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(request, request.GetType(), PaygoJson.Options);
        var operationBytes = Encoding.UTF8.GetBytes(operation + "\n");
        return Convert.ToHexStringLower(SHA256.HashData([.. operationBytes, .. json]));
    }
}
