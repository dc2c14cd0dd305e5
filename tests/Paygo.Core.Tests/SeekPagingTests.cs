using Paygo.Core.Common;

namespace Paygo.Core.Tests;

public sealed class SeekPagingTests
{
    [Fact]
    public void Encode_ThenDecode_GivesTheKeyBack()
    {
        var token = SeekPaging.Encode("Contoso, \"Ltd\" 東京", "4f1b2a10-8c3d-4e5f-9a01-000000000101");
        Assert.True(SeekPaging.TryDecode(token, 2, out var key));
        Assert.Equal(["Contoso, \"Ltd\" 東京", "4f1b2a10-8c3d-4e5f-9a01-000000000101"], key);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 at all!")]
    [InlineData("bnVsbA")] // "null"
    [InlineData("WyJhIl0")] // ["a"]: wrong number of parts
    public void TryDecode_ForeignToken_Fails(string token) => Assert.False(SeekPaging.TryDecode(token, 2, out _));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public void TryGetSize_OutOfRange_NamesSize(int size)
    {
        Assert.False(SeekPaging.TryGetSize(size, out _, out var error));
        Assert.Equal("size", Assert.Single(error!.Data).Field);
    }
}
