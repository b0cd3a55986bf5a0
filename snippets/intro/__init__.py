"""Weight sharing in numbers (docs/weight-sharing-in-numbers.md): the question the site opens with,
counted on AlexNet's first layer."""
