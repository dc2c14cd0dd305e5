using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Audit;

namespace Paygo.Core.Common;

/// <summary>
/// A create made ready by a feature: its rows are added to the context but not saved. The audit
/// entry is written in the same transaction, with the resource's JSON as its new value.
/// </summary>
public sealed record PreparedCreate<T>(T Resource, string? Location, AuditEntry Audit)
    where T : class;

/// <summary>
/// Makes creates idempotent on <c>MS-RequestId</c> for 24 hours (DOMAIN.md §9, PROMISES M2):
/// the created rows and the created resource are saved in one transaction, and the primary key
/// (scope, request id) lets only one of several concurrent identical requests create anything;
/// the others replay its result. The resource is kept as JSON (PaygoJson.Options), a storage
/// detail: callers get the typed resource back, and the server's serialisation of it is the
/// stored text byte for byte (docs/adr/0019).
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
                ErrorKind.Invalid,
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
    public async Task<Result<Created<T>>> CreateAsync<T>(
        string scope,
        string? requestId,
        string operation,
        object request,
        Func<CancellationToken, Task<(PreparedCreate<T>? Create, ApiError? Error)>> prepare,
        Func<string, ApiError> onUniqueViolation,
        CancellationToken cancellationToken)
        where T : class
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
                    return Replay<T>(earlier, operation, requestHash);
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
            return await ReplayIfCommittedAsync<T>(scope, requestId, operation, requestHash, cancellationToken) ?? error;
        }

        if (create is null)
        {
            throw new InvalidOperationException("A create must give either a result or an error.");
        }

        // Serialised with the runtime type, as the server will serialise the resource it gets back.
        var body = JsonSerializer.Serialize(create.Resource, create.Resource.GetType(), PaygoJson.Options);
        if (requestId is not null)
        {
            db.IdempotencyRecords.Add(new IdempotencyRecord
            {
                Scope = scope,
                RequestId = requestId,
                Operation = operation,
                RequestHash = requestHash,
                ResponseBody = body,
                Location = create.Location,
                CreatedAt = clock.GetUtcNow(),
            });
        }

        try
        {
            await audit.AppendAsync(create.Audit with { ResourceNewValue = create.Audit.ResourceNewValue ?? body }, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new Created<T>(create.Resource, create.Location);
        }
        catch (DbUpdateException e) when (databaseErrors.IsUniqueViolation(e, out var table))
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();

            // A concurrent request with the same id won the race: serve its answer.
            return await ReplayIfCommittedAsync<T>(scope, requestId, operation, requestHash, cancellationToken) ?? onUniqueViolation(table);
        }
    }

    private async Task<Result<Created<T>>?> ReplayIfCommittedAsync<T>(string scope, string? requestId, string operation, string requestHash, CancellationToken cancellationToken)
        where T : class
    {
        if (requestId is null)
        {
            return null;
        }

        var winner = await FindAsync(scope, requestId, cancellationToken);
        return winner is null ? null : Replay<T>(winner, operation, requestHash);
    }

    private Task<IdempotencyRecord?> FindAsync(string scope, string requestId, CancellationToken cancellationToken) =>
        db.IdempotencyRecords.FirstOrDefaultAsync(r => r.Scope == scope && r.RequestId == requestId, cancellationToken);

    private static Result<Created<T>> Replay<T>(IdempotencyRecord earlier, string operation, string requestHash)
        where T : class
    {
        if (earlier.Operation != operation || earlier.RequestHash != requestHash)
        {
            return new ApiError(
                ErrorKind.Conflict,
                ErrorCodes.RequestIdReused,
                $"The {RequestIdHeader} '{earlier.RequestId}' was already used for a different request; send a new {RequestIdHeader} for a new request.",
                [new FieldError(RequestIdHeader, "Already used for a different request.")]);
        }

        // The same operation always creates the same type, so the stored JSON reads back as T.
        var resource = JsonSerializer.Deserialize<T>(earlier.ResponseBody, PaygoJson.Options)
            ?? throw new InvalidOperationException($"The stored answer to request id '{earlier.RequestId}' is empty.");
        return new Created<T>(resource, earlier.Location);
    }

    private static string Hash(string operation, object request)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(request, request.GetType(), PaygoJson.Options);
        var operationBytes = Encoding.UTF8.GetBytes(operation + "\n");
        return Convert.ToHexStringLower(SHA256.HashData([.. operationBytes, .. json]));
    }
}
