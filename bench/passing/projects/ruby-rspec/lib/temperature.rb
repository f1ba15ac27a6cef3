# Converts temperatures; exists to produce real RSpec output.
module Temperature
  ABSOLUTE_ZERO_C = -273.15

  def self.to_fahrenheit(celsius)
    raise ArgumentError, "below absolute zero: #{celsius}" if celsius < ABSOLUTE_ZERO_C

    celsius * 9.0 / 5.0 + 32
  end

  def self.to_celsius(fahrenheit)
    (fahrenheit - 32) * 5.0 / 9.0
  end
end
