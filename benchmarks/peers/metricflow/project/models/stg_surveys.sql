select * from {{ source('commerce', 'surveys') }}
