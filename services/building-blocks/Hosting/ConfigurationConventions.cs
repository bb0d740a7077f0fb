using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace OrdersMail.BuildingBlocks.Hosting;

/// <summary>
/// One naming scheme for every setting of every service and script: a key <c>Section:Key</c> in
/// appsettings.json is the environment variable <c>ORDERSMAIL_Section__Key</c>
/// (e.g. <c>ORDERSMAIL_Postgres__Port=55432</c>), the same variables deploy/local reads.
/// </summary>
public static class ConfigurationConventions
{
    /// <summary>The prefix of every OrdersMail environment variable.</summary>
    public const string EnvironmentPrefix = "ORDERSMAIL_";

    /// <summary>
    /// Adds the <c>ORDERSMAIL_</c> variables above appsettings and plain environment variables, but below the
    /// command line, so an explicit <c>--Postgres:Port=...</c> still wins.
    /// </summary>
    public static void AddOrdersMailEnvironmentVariables(this IConfigurationManager configuration)
    {
        var source = new EnvironmentVariablesConfigurationSource { Prefix = EnvironmentPrefix };
        var commandLine = configuration.Sources.ToList().FindIndex(s => s is CommandLineConfigurationSource);
        if (commandLine >= 0)
        {
            configuration.Sources.Insert(commandLine, source);
        }
        else
        {
            configuration.Sources.Add(source);
        }
    }
}
