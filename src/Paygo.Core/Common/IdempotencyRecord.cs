namespace Paygo.Core.Common;

/// <summary>
/// The stored first answer to a create that carried an <c>MS-RequestId</c>. Written in the same
/// transaction as the created rows, so a retry either finds it and gets the same answer, or finds
/// nothing because nothing was created (PROMISES M2).
/// </summary>
public sealed class IdempotencyRecord
{
    /// <summary>Whose request id this is: <c>operator</c> or a partner's tenant id; ids never collide across scopes.</summary>
    public required string Scope { get; set; }

    public required string RequestId { get; set; }

    /// <summary>The operation, e.g. <c>POST /v1/partners</c>; the same id for another operation is refused.</summary>
    public required string Operation { get; set; }

    /// <summary>SHA-256 (hex) of the request as Paygo understood it, so a retry with another body is refused.</summary>
    public required string RequestHash { get; set; }

    /// <summary>The created resource as JSON (PaygoJson.Options); every create answers 201 with it, so no status is kept.</summary>
    public required string ResponseBody { get; set; }

    public string? Location { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
