using System.Security.Cryptography;

namespace OrdersMail.OrdersApi.Orders;

/// <summary>
/// Human order references such as <c>ORD-7K3Q9X</c>: read out on the phone and typed from a printout, so the
/// alphabet leaves out 0/O, 1/I/L. Drawn from the cryptographic RNG, so one customer's reference says nothing
/// about another's. 31^6 (about 887 million) references; the table's unique constraint catches the rare clash.
/// </summary>
public static class OrderReferences
{
    /// <summary>What every reference starts with.</summary>
    public const string Prefix = "ORD-";

    /// <summary>The characters after the prefix are drawn from these.</summary>
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

    /// <summary>How many characters follow the prefix.</summary>
    public const int Length = 6;

    /// <summary>A new random reference.</summary>
    public static string Next() => Prefix + RandomNumberGenerator.GetString(Alphabet, Length);
}
