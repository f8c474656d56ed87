namespace Mep.Contracts.Schools;

/// <summary>
/// How long a school's texts can be. Schools refuses longer ones at its edge; every service that keeps a copy (from Schools'
/// events) answers them with the same limits in its OpenAPI document.
/// </summary>
public static class SchoolFields
{
    /// <summary>A Lower Saxony school number: five digits.</summary>
    public const int NumberLength = 5;

    /// <summary>
    /// Five ASCII digits: a Lower Saxony school number and a German postal code alike. Not <c>\d</c>, which .NET lets match any
    /// Unicode decimal digit ("١٢٣٤٥"), a number no school has and no lookup would find.
    /// </summary>
    public const string FiveDigits = "^[0-9]{5}$";

    public const int MaxName = 200;

    /// <summary>A school type's code as the API writes it ("GY", "FöS").</summary>
    public const int MaxTypeCode = 4;
    public const int MaxDistrict = 100;
    public const int MaxStreet = 200;
    public const int PostalCodeLength = 5;
    public const int MaxCity = 100;
    public const int MaxBuildingName = 100;
    public const int MaxRoomNumber = 30;
    public const int MaxRoomDescription = 200;

    /// <summary>RFC 5321's longest forward path: a school's contact mail address.</summary>
    public const int MaxEmail = 254;

    /// <summary>What a mail address must look like: something, an @, a domain with a dot; no spaces.</summary>
    public const string Email = @"^[^@\s]+@[^@\s]+\.[^@\s]+$";

    /// <summary>A school API key's public id (the part after "mep_sk_").</summary>
    public const int ApiKeyIdLength = 12;

    public const int MaxApiKeyLabel = 100;

    /// <summary>A school year as the API writes it: "2020/21".</summary>
    public const int SchoolYearLength = 7;
}
