"""The factories live in the apps that own the models (`home.factories`,
`events.factories`, `resources.factories`, `volunteers.factories`,
`portal.factories` for the site's skeleton); the modules of this package
only re-export them under the names the tests have always imported."""
