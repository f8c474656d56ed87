using Mep.ServiceDefaults.Hosting;

namespace Mep.Schools;

public static class SchoolsService
{
    /// <summary>The path the Schools service owns behind the edge.</summary>
    public const string PathPrefix = "/api/schools";

    public static readonly ServiceDescription Description = new(
        Title: "MEP Platform: Schools",
        PathPrefix: PathPrefix,
        Description: "Schools, school years and pupil counts, programme participation (measures 1-4), media education concepts, "
            + "buildings and rooms, school API keys, and webhooks that tell a school's software of its devices and tickets.");
}
