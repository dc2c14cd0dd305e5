using Paygo.Core.Common;
using Paygo.Server.Api;

namespace Paygo.Server.Tests;

/// <summary>Core's error kinds become Partner Center's statuses in one place, the server's (docs/adr/0019).</summary>
public sealed class ErrorStatusTests
{
    [Theory]
    [InlineData(ErrorKind.Invalid, 400)]
    [InlineData(ErrorKind.Unauthenticated, 401)]
    [InlineData(ErrorKind.Forbidden, 403)]
    [InlineData(ErrorKind.NotFound, 404)]
    [InlineData(ErrorKind.Conflict, 409)]
    [InlineData(ErrorKind.PreconditionFailed, 412)]
    [InlineData(ErrorKind.Unavailable, 503)]
    [InlineData(ErrorKind.Gone, 410)]
    public void EachKind_HasItsPartnerCenterStatus(ErrorKind kind, int status)
    {
        Assert.Equal(status, ErrorStatus.Of(kind));
        var wire = WireError.From(new ApiError(kind, 1234, "why", [new FieldError("f", "m")]));
        Assert.Equal(new WireError(status, 1234, "why", wire.Data), wire);
        Assert.Equal(status, new ApiErrorResult(new ApiError(kind, 1234, "why")).StatusCode);
    }

    [Fact]
    public void EveryKind_IsMapped() =>
        Assert.All(Enum.GetValues<ErrorKind>(), kind => Assert.InRange(ErrorStatus.Of(kind), 400, 599));
}
