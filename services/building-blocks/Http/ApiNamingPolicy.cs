using System.Text.Json;

namespace OrdersMail.BuildingBlocks.Http;

/// <summary>
/// snake_case for the services' own records (<c>CustomerEmail</c> → <c>customer_email</c>), and every other name left as
/// it is: every service's routes speak it, the web app's and ops' alike. The serializer also passes a problem's
/// extension keys through the naming policy, and those are wire names already (<c>traceId</c>, <c>reason</c>): a .NET
/// property name starts upper case, a wire name does not.
/// </summary>
public sealed class ApiNamingPolicy : JsonNamingPolicy
{
    /// <summary>The one instance.</summary>
    public static readonly ApiNamingPolicy Instance = new();

    private ApiNamingPolicy()
    {
    }

    /// <inheritdoc />
    public override string ConvertName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Length > 0 && char.IsUpper(name[0]) ? SnakeCaseLower.ConvertName(name) : name;
    }
}
