using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Paygo.Core.Notifications;

namespace Paygo.Server.Notifications;

/// <summary>Mail settings (<c>Paygo:Notifications:Smtp</c>); set <see cref="Host"/> to send notifications by mail.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Paygo:Notifications:Smtp";

    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    /// <summary><c>Auto</c> (STARTTLS when the server offers it), <c>None</c>, <c>StartTls</c> (required) or <c>SslOnConnect</c>.</summary>
    public string Security { get; set; } = "Auto";

    /// <summary>The sender address, e.g. <c>paygo@billing.example</c>.</summary>
    public string From { get; set; } = "paygo@localhost";

    public string FromName { get; set; } = "Paygo";

    /// <summary>Sign-in name, when the server wants one (with <see cref="Password"/>).</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Seconds to wait for the server before the delivery counts as failed.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    internal SecureSocketOptions SocketOptions => Security.ToUpperInvariant() switch
    {
        "NONE" => SecureSocketOptions.None,
        "STARTTLS" => SecureSocketOptions.StartTls,
        "SSLONCONNECT" => SecureSocketOptions.SslOnConnect,
        "AUTO" => SecureSocketOptions.StartTlsWhenAvailable,
        _ => throw new OptionsValidationException(Section, typeof(SmtpOptions), [$"{Section}:Security must be Auto, None, StartTls or SslOnConnect; '{Security}' is not."]),
    };
}

/// <summary>
/// Sends a notification as a plain-text mail through an SMTP server (MailKit), one connection per
/// message: notifications are rare (a budget every 7 days per customer), and a fresh connection
/// never trips over a server that closed an idle one. A failure throws; the caller records it.
/// </summary>
public sealed class SmtpNotificationSender(IOptions<SmtpOptions> options) : INotificationSender
{
    public const string ChannelName = "smtp";

    public string Channel => ChannelName;

    public async Task SendAsync(OutgoingNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var settings = options.Value;
        if (notification.Recipients.Count == 0)
        {
            throw new InvalidOperationException("The partner has no active Global admin or Admin agent with an e-mail address to send to.");
        }

        using var message = new MimeMessage();
        message.From.Add(new MailboxAddress(settings.FromName, settings.From));
        foreach (var recipient in notification.Recipients)
        {
            message.To.Add(MailboxAddress.Parse(recipient));
        }

        message.Subject = notification.Subject;
        message.MessageId = $"{notification.Id:N}@paygo";
        message.Headers.Add("X-Paygo-Notification-Kind", notification.Kind);
        message.Body = new TextPart("plain") { Text = notification.Body };

        using var client = new SmtpClient { Timeout = settings.TimeoutSeconds * 1000 };
        await client.ConnectAsync(settings.Host ?? throw new InvalidOperationException($"{SmtpOptions.Section}:Host is not set."), settings.Port, settings.SocketOptions, cancellationToken);
        if (!string.IsNullOrEmpty(settings.Username))
        {
            await client.AuthenticateAsync(settings.Username, settings.Password ?? string.Empty, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
