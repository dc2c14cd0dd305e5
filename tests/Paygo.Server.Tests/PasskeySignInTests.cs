using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Server.Identity;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>
/// The server's side of passkey sign-in with answers no honest browser sends: forged or replayed
/// assertions are refused and count against the account like wrong codes (DOMAIN.md §2). The
/// honest ceremony runs in the browser tests (Paygo.Ui.Tests.PasskeyTests).
/// </summary>
public sealed class PasskeySignInTests
{
    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task CompleteSignIn_ForgedAssertion_IsRefusedAndTakesAnAttemptSlot(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var user = await TestUsers.AddAsync(server.Database, DemoInstance.DirectBillPartnerId, PartnerRole.AdminAgent);
        await using var scope = server.Services.CreateAsyncScope();
        var passkeys = scope.ServiceProvider.GetRequiredService<DashboardPasskeys>();
        var context = NewContext(scope.ServiceProvider);
        var entity = await LoadAsync(server, user.Id);

        var challenge = await passkeys.BeginSignInAsync(context, entity);
        var accepted = await passkeys.CompleteSignInAsync(context, entity, challenge.Id,
            """{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AAAA","signature":"AAAA"}}""");

        Assert.False(accepted);
        Assert.Equal(1, (await LoadAsync(server, user.Id)).AccessFailedCount);
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task CompleteSignIn_ChallengeAnsweredTwiceOrByAnotherUser_IsRefused(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var user = await TestUsers.AddAsync(server.Database, DemoInstance.DirectBillPartnerId, PartnerRole.AdminAgent);
        var other = await TestUsers.AddAsync(server.Database, DemoInstance.DirectBillPartnerId, PartnerRole.AdminAgent);
        await using var scope = server.Services.CreateAsyncScope();
        var ceremonies = scope.ServiceProvider.GetRequiredService<PasskeyCeremonies>();

        var id = await ceremonies.StartAsync(user.Id, PasskeyCeremonies.SignIn, "state", TestContext.Current.CancellationToken);

        Assert.Null(await ceremonies.TakeAsync(id, other.Id, PasskeyCeremonies.SignIn, TestContext.Current.CancellationToken));
        Assert.Null(await ceremonies.TakeAsync(id, user.Id, PasskeyCeremonies.Registration, TestContext.Current.CancellationToken));
        Assert.Equal("state", await ceremonies.TakeAsync(id, user.Id, PasskeyCeremonies.SignIn, TestContext.Current.CancellationToken));
        Assert.Null(await ceremonies.TakeAsync(id, user.Id, PasskeyCeremonies.SignIn, TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task CompleteSignIn_TenForgedAssertions_LockTheAccount(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var user = await TestUsers.AddAsync(server.Database, DemoInstance.DirectBillPartnerId, PartnerRole.AdminAgent);
        await using var scope = server.Services.CreateAsyncScope();
        var passkeys = scope.ServiceProvider.GetRequiredService<DashboardPasskeys>();
        var context = NewContext(scope.ServiceProvider);
        var entity = await LoadAsync(server, user.Id);

        for (var attempt = 0; attempt < SignInService.MaxFailures; attempt++)
        {
            var challenge = await passkeys.BeginSignInAsync(context, entity);
            Assert.False(await passkeys.CompleteSignInAsync(context, entity, challenge.Id, "{}"));
        }

        var locked = await LoadAsync(server, user.Id);
        Assert.NotNull(locked.LockoutEnd);
        Assert.True(locked.LockoutEnd > DateTimeOffset.UtcNow.AddMinutes(14));
    }

    private static DefaultHttpContext NewContext(IServiceProvider services)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("paygo.example");
        return context;
    }

    private static async Task<PaygoUser> LoadAsync(PaygoServer server, Guid id)
    {
        await using var db = server.CreateDbContext();
        return await db.Users.AsNoTracking().SingleAsync(u => u.Id == id, TestContext.Current.CancellationToken);
    }
}
