using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SpotOptimizer.Notifications.Mail;

public static class MailRegistration
{
    /// <summary>SMTP when <c>Mail:Host</c> is set, the log otherwise.</summary>
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(MailOptions.Section);
        services.Configure<MailOptions>(section);
        if (string.IsNullOrWhiteSpace(section["Host"])) services.TryAddSingleton<IMailer, LogMailer>();
        else services.TryAddSingleton<IMailer, SmtpMailer>();
        return services;
    }
}
