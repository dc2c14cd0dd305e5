using System.Buffers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Paygo.Core.Budgets;
using Paygo.Core.Demo;
using Paygo.Core.Notifications;
using Paygo.Core.RatedUsage;
using Paygo.Rating.Pricing;
using Paygo.Server.Notifications;
using Paygo.Testing;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Paygo.Server.Tests;

/// <summary>
/// The budget rule of reference §7.5 (docs/adr/0034) over the stored budgets and notifications on
/// both engines, with a spend source the test controls: the 80 % and 100 % edges, the 7 days, a new
/// month, failed deliveries; the SMTP sender against a real SMTP server on loopback; and the
/// spend read from a rating.
/// </summary>
public sealed class BudgetRuleTests
{
    private static readonly Guid Tailspin = DemoCommerce.TailspinCustomerId;
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class FakeSpend : ICustomerSpendSource
    {
        public decimal Spend { get; set; }

        public bool IsAvailable => true;

        public Task<decimal> MonthToDateAsync(Guid partnerId, Guid customerId, BillingMonth month, CancellationToken cancellationToken) => Task.FromResult(Spend);
    }

    private sealed class RecordingSender : INotificationSender
    {
        public List<OutgoingNotification> Sent { get; } = [];

        public bool Fail { get; set; }

        public string Channel => "test";

        public Task SendAsync(OutgoingNotification notification, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new InvalidOperationException("The mail server refused the connection.");
            }

            Sent.Add(notification);
            return Task.CompletedTask;
        }
    }

    private sealed record Harness(PaygoServer Server, FakeSpend Spend, RecordingSender Sender, FixedClock Clock)
    {
        public async Task<BudgetCheckSummary> RunAsync(DateTimeOffset now)
        {
            Clock.Now = now;
            await using var db = Server.CreateDbContext();
            var alerts = new BudgetAlerts(db, Spend, new Notifier(db, Sender, Clock), NullLogger<BudgetAlerts>.Instance);
            return await alerts.RunOnceAsync(now, TestContext.Current.CancellationToken);
        }
    }

    private static async Task<Harness> StartAsync(string engine, decimal budget)
    {
        var server = await PaygoServer.StartAsync(engine);
        _ = server.Services;
        await using var db = server.CreateDbContext();
        db.CustomerBudgets.Add(new CustomerBudget { CustomerId = Tailspin, PartnerId = DemoInstance.DirectBillPartnerId, Amount = budget, Currency = "GBP", UpdatedAt = Start });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return new Harness(server, new FakeSpend(), new RecordingSender(), new FixedClock(Start));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task FromExactly80Percent_UpTo100_Notifies_AndNotBelowOrAbove(string engine)
    {
        var cases = new (decimal Spend, bool Notifies)[] { (79.99m, false), (80m, true), (100m, true), (100.01m, false) };
        foreach (var (spend, notifies) in cases)
        {
            var harness = await StartAsync(engine, 100m);
            await using var server = harness.Server;
            harness.Spend.Spend = spend;

            var summary = await harness.RunAsync(Start);

            Assert.Equal(1, summary.Checked);
            Assert.True(notifies == (summary.Notified == 1), $"spend {spend} of 100: notified {summary.Notified}");
            Assert.Equal(notifies ? 1 : 0, harness.Sender.Sent.Count);
        }
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AfterANotice_Day6IsQuiet_Day7NotifiesAgain_AndOnlyWhileAt80To100(string engine)
    {
        var harness = await StartAsync(engine, 100m);
        await using var server = harness.Server;
        harness.Spend.Spend = 85m;

        Assert.Equal(1, (await harness.RunAsync(Start)).Notified);
        Assert.Equal(0, (await harness.RunAsync(Start.AddHours(1))).Notified);
        Assert.Equal(0, (await harness.RunAsync(Start.AddDays(6))).Notified);
        Assert.Equal(0, (await harness.RunAsync(Start.AddDays(7).AddTicks(-1))).Notified);
        Assert.Equal(1, (await harness.RunAsync(Start.AddDays(7))).Notified);

        // Past 100 %: no notification, even 7 days on.
        harness.Spend.Spend = 100.01m;
        Assert.Equal(0, (await harness.RunAsync(Start.AddDays(14))).Notified);

        await using var db = server.CreateDbContext();
        var stored = await db.Notifications.Where(n => n.CustomerId == Tailspin).OrderBy(n => n.CreatedAt).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, stored.Count);
        Assert.All(stored, n =>
        {
            Assert.Equal(NotificationKinds.BudgetThreshold, n.Kind);
            Assert.Equal(NotificationStatus.Sent, n.Status);
            Assert.Equal("test", n.SentThrough);
            Assert.Equal(DemoInstance.DirectBillPartnerId, n.PartnerId);
        });
        Assert.Contains("85.0 %", stored[0].Subject, StringComparison.Ordinal);
        Assert.Contains("85.00 GBP", stored[0].Body, StringComparison.Ordinal);

        // The partner's Global admins and Admin agents receive it, no one else.
        var recipients = harness.Sender.Sent[0].Recipients;
        Assert.NotEmpty(recipients);
        Assert.All(recipients, r => Assert.Contains(DemoUsers.All, u => u.Email == r && u.PartnerId == DemoInstance.DirectBillPartnerId
            && u.Roles.Any(Notifier.RecipientRoles.Contains)));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ANewMonth_StartsAfresh_EvenWithin7Days(string engine)
    {
        var harness = await StartAsync(engine, 100m);
        await using var server = harness.Server;
        harness.Spend.Spend = 90m;
        var lateInMonth = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(1, (await harness.RunAsync(lateInMonth)).Notified);
        Assert.Equal(0, (await harness.RunAsync(new DateTimeOffset(2026, 11, 30, 23, 59, 0, TimeSpan.Zero))).Notified);
        Assert.Equal(1, (await harness.RunAsync(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero))).Notified);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AFailedDelivery_IsKeptAsFailed_AndTheNextPassTriesAgain(string engine)
    {
        var harness = await StartAsync(engine, 100m);
        await using var server = harness.Server;
        harness.Spend.Spend = 95m;
        harness.Sender.Fail = true;

        var failed = await harness.RunAsync(Start);
        Assert.Equal((0, 1), (failed.Notified, failed.Failed));

        harness.Sender.Fail = false;
        Assert.Equal(1, (await harness.RunAsync(Start.AddHours(1))).Notified);

        await using var db = server.CreateDbContext();
        var stored = await db.Notifications.OrderBy(n => n.CreatedAt).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal([NotificationStatus.Failed, NotificationStatus.Sent], stored.Select(n => n.Status));
        Assert.Equal("The mail server refused the connection.", stored[0].Error);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AZeroBudget_NeverNotifies(string engine)
    {
        var harness = await StartAsync(engine, 0m);
        await using var server = harness.Server;
        harness.Spend.Spend = 0m;

        var summary = await harness.RunAsync(Start);

        Assert.Equal((0, 0), (summary.Checked, summary.Notified));
    }

    [Fact]
    public void TheRule_AtItsEdges()
    {
        Assert.Equal(BudgetDecision.BelowThreshold, BudgetRules.Decide(100m, 79.999999m, null, Start));
        Assert.Equal(BudgetDecision.Notify, BudgetRules.Decide(100m, 80m, null, Start));
        Assert.Equal(BudgetDecision.Notify, BudgetRules.Decide(100m, 100m, null, Start));
        Assert.Equal(BudgetDecision.OverBudget, BudgetRules.Decide(100m, 100.000001m, null, Start));
        Assert.Equal(BudgetDecision.RecentlyNotified, BudgetRules.Decide(100m, 90m, Start.AddDays(-6), Start));
        Assert.Equal(BudgetDecision.Notify, BudgetRules.Decide(100m, 90m, Start.AddDays(-7), Start));
        Assert.Equal(BudgetDecision.NoBudget, BudgetRules.Decide(0m, 0m, null, Start));
    }

    /// <summary>The message as the SMTP server received it.</summary>
    private sealed class CapturingStore : MessageStore
    {
        public TaskCompletionSource<MimeMessage> Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            Received.TrySetResult(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }

    [Fact]
    public async Task TheSmtpSender_DeliversTheNotification_ToARealSmtpServer()
    {
        var port = ServerProcess.FreePort();
        var store = new CapturingStore();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(store);
        var smtp = new SmtpServer.SmtpServer(new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e => e.Endpoint(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port))).Build(), services);
        using var stop = new CancellationTokenSource();
        var running = smtp.StartAsync(stop.Token);
        try
        {
            var sender = new SmtpNotificationSender(Options.Create(new SmtpOptions { Host = "127.0.0.1", Port = port, Security = "None", From = "paygo@billing.example" }));
            var id = Guid.NewGuid();
            await sender.SendAsync(new OutgoingNotification(id, DemoInstance.DirectBillPartnerId, Tailspin, NotificationKinds.BudgetThreshold,
                "Tailspin Toys: Azure spend at 85.0 % of the monthly budget", "Spent 85.00 GBP of 100.00 GBP.", ["adminagent@fabrikam.example", "globaladmin@fabrikam.example"]),
                TestContext.Current.CancellationToken);

            var message = await store.Received.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            Assert.Equal("Tailspin Toys: Azure spend at 85.0 % of the monthly budget", message.Subject);
            Assert.Equal("Spent 85.00 GBP of 100.00 GBP.", message.TextBody?.Trim());
            Assert.Equal(["adminagent@fabrikam.example", "globaladmin@fabrikam.example"], message.To.Mailboxes.Select(m => m.Address));
            Assert.Equal("paygo@billing.example", message.From.Mailboxes.Single().Address);
            Assert.Equal(NotificationKinds.BudgetThreshold, message.Headers["X-Paygo-Notification-Kind"]);
            Assert.Equal($"{id:N}@paygo", message.MessageId);
        }
        finally
        {
            await stop.CancelAsync();
            smtp.Shutdown();
            await smtp.ShutdownTask.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            await running.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    [Fact]
    public async Task TheSmtpSender_WithNoRecipients_Fails()
    {
        var sender = new SmtpNotificationSender(Options.Create(new SmtpOptions { Host = "127.0.0.1", Port = 1 }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => sender.SendAsync(
            new OutgoingNotification(Guid.NewGuid(), Guid.NewGuid(), null, "x", "s", "b", []), TestContext.Current.CancellationToken));
    }

    private sealed class StubRating(IReadOnlyList<RatedUsageLine> lines) : IMonthRating
    {
        public Task<MonthRatingResult> RateAsync(Guid partnerId, BillingMonth month, Guid? customerId, CancellationToken cancellationToken) =>
            Task.FromResult(new MonthRatingResult(partnerId, month, "GBP", lines, [], DateTimeOffset.UnixEpoch));
    }

    private static RatedUsageLine Line(Guid customer, decimal billing) => new()
    {
        PartnerId = DemoInstance.DirectBillPartnerId,
        CustomerId = customer,
        SubscriptionId = DemoCommerce.TailspinPlanId,
        EntitlementId = DemoCommerce.TailspinAzureSubscriptionId,
        RecordId = Guid.NewGuid().ToString(),
        AcceptedAt = Start,
        ResourceUri = "/subscriptions/x",
        MeterId = Guid.NewGuid(),
        UsageDate = new DateOnly(2026, 11, 1),
        Quantity = 1,
        UnitPrice = billing,
        EffectiveUnitPrice = billing,
        PricingPreTaxTotal = billing,
        BillingPreTaxTotal = billing,
        ListCost = billing,
        BillingCurrency = "GBP",
        PcToBcExchangeRate = 1,
        PcToBcExchangeRateDate = new DateOnly(2026, 11, 1),
        PecPercent = 0,
        PecEvidence = "none",
        Meter = new RatedMeter("p", "s", "a", "pt", "st", "m", "c", "sc", "r", "1 Hour", "Consumption"),
    };

    [Fact]
    public async Task TheRatedSpend_SumsTheCustomersBillingPreTaxTotals_Unrounded()
    {
        var other = DemoCommerce.WingtipCustomerId;
        var source = new RatedCustomerSpend([new StubRating([Line(Tailspin, 10.123456m), Line(other, 1000m), Line(Tailspin, 0.000001m)])]);

        Assert.True(source.IsAvailable);
        Assert.Equal(10.123457m, await source.MonthToDateAsync(DemoInstance.DirectBillPartnerId, Tailspin, new BillingMonth(2026, 11), TestContext.Current.CancellationToken));
        Assert.False(new RatedCustomerSpend([]).IsAvailable);
    }
}
